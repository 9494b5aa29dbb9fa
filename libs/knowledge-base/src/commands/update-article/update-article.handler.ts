import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { assertBodySize } from '../../domain/article-rules';
import type { ArticleView } from '../../repositories/kb.sql';
import { ArticleContentChanges } from './apply-article-content';
import { UpdateArticleCommand } from './update-article.command';
import { kbConfig, type KbConfig } from '../../knowledge-base.context';

@CommandHandler(UpdateArticleCommand)
export class UpdateArticleHandler implements ICommandHandler<UpdateArticleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly content: ArticleContentChanges,
    @Inject(kbConfig.token) private readonly config: KbConfig,
  ) {}

  execute({ context, articleId, changes, expectedVersion }: UpdateArticleCommand): Promise<ArticleView> {
    assertBodySize(changes.body, this.config.KB_ARTICLE_MAX_BYTES);
    return this.tx.run(context, (tx) => this.content.apply(tx, articleId, changes, expectedVersion));
  }
}
