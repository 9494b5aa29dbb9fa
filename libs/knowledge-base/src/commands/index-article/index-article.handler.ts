import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ArticleIndexer, type IndexResult } from '../../indexing/article-indexer';
import { IndexArticleCommand } from './index-article.command';

@CommandHandler(IndexArticleCommand)
export class IndexArticleHandler implements ICommandHandler<IndexArticleCommand> {
  constructor(private readonly indexer: ArticleIndexer) {}

  execute({ input }: IndexArticleCommand): Promise<IndexResult> {
    return this.indexer.index(input.tenantId, input.articleId);
  }
}
