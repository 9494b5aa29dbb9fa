import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { APP_CONFIG, TenantTransaction, type AppConfig } from '@switchboard/platform';
import { assertBodySize } from '../../domain/article-rules';
import type { ArticleView } from '../../repositories/kb.sql';
import { applyArticleChanges } from './apply-article-content';
import { UpdateArticleCommand } from './update-article.command';

@CommandHandler(UpdateArticleCommand)
export class UpdateArticleHandler implements ICommandHandler<UpdateArticleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  execute({ context, articleId, changes, expectedVersion }: UpdateArticleCommand): Promise<ArticleView> {
    assertBodySize(changes.body, this.config.KB_ARTICLE_MAX_BYTES);
    return this.tx.run(context, (tx) => applyArticleChanges(tx, articleId, changes, expectedVersion));
  }
}
