import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ArticlesRepository } from '../../repositories/articles.repository';
import type { ArticleView } from '../../repositories/kb.sql';
import { RevisionsRepository } from '../../repositories/revisions.repository';
import { ArticleContentChanges } from '../update-article/apply-article-content';
import { RestoreRevisionCommand } from './restore-revision.command';

@CommandHandler(RestoreRevisionCommand)
export class RestoreRevisionHandler implements ICommandHandler<RestoreRevisionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
    private readonly content: ArticleContentChanges,
  ) {}

  execute({ context, articleId, revisionId }: RestoreRevisionCommand): Promise<ArticleView> {
    return this.tx.run(context, async (tx) => {
      // The revision must belong to this article: another article's revision is as missing as none.
      const revision = await this.revisions.findContent(tx, articleId, revisionId);
      if (!revision) throw (await this.articles.exists(tx, articleId)) ? notFound('Revision', revisionId) : notFound('Article', articleId);
      // The slug stays as it is: restoring content must not break published links.
      const { title, body, visibility, tags, sectionId } = revision;
      return this.content.apply(tx, articleId, { title, body, visibility, tags, sectionId }, null, revisionId);
    });
  }
}
