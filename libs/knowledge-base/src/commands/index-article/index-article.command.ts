import { Command } from '@nestjs/cqrs';
import type { IndexResult } from '../../indexing/article-indexer';

/**
 * Brings one article's search chunks up to date now, with the injected EMBEDDINGS_PROVIDER
 * (the worker does the same on every publish, update and archive). Used by the reindex CLI and
 * by evaluations that index a dataset without waiting for the worker.
 */
export class IndexArticleCommand extends Command<IndexResult> {
  constructor(readonly input: { tenantId: string; articleId: string }) {
    super();
  }
}
