import { HandlesJob, type EventEnvelope, type JobHandler } from '@switchboard/platform';
import { ArticleIndexer } from '../indexing/article-indexer';

/**
 * On publish, update and archive: the article's chunks and vectors follow its current state.
 * Once per event (the receipt commits with the chunks); a redelivery changes nothing.
 */
@HandlesJob('embeddings', 'kb.index-article')
export class IndexArticleJob implements JobHandler<'embeddings', 'kb.index-article'> {
  constructor(private readonly indexer: ArticleIndexer) {}

  async handle(event: EventEnvelope<Record<string, unknown>>): Promise<void> {
    await this.indexer.index(event.tenantId, event.aggregateId, event);
  }
}
