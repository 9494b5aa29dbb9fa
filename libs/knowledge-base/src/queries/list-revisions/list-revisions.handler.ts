import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction, type Page } from '@switchboard/platform';
import { ArticlesRepository } from '../../repositories/articles.repository';
import type { RevisionView } from '../../repositories/kb.sql';
import { RevisionsRepository } from '../../repositories/revisions.repository';
import { ListRevisionsQuery } from './list-revisions.query';

@QueryHandler(ListRevisionsQuery)
export class ListRevisionsHandler implements IQueryHandler<ListRevisionsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly articles: ArticlesRepository,
    private readonly revisions: RevisionsRepository,
  ) {}

  execute({ tenantId, articleId, page, revisionId }: ListRevisionsQuery): Promise<Page<RevisionView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (!(await this.articles.exists(tx, articleId))) throw notFound('Article', articleId);
      if (revisionId) {
        const revision = await this.revisions.find(tx, articleId, revisionId);
        if (!revision) throw notFound('Revision', revisionId);
        return { data: [revision], nextCursor: null };
      }
      return this.revisions.page(tx, articleId, page);
    });
  }
}
