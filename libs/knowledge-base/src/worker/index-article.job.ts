import { OnEventSelfAcknowledged, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { ArticleIndexer } from '../indexing/article-indexer';
import { ArticleArchived, ArticlePublished, ArticleUpdated, EmbeddingsQueue } from '../knowledge-base.context';

type IndexingEvent = typeof ArticlePublished | typeof ArticleUpdated | typeof ArticleArchived;

/**
 * On publish, update and archive: the article's chunks and vectors follow its current state.
 * Once per event: the indexer embeds outside any transaction, then commits the chunks with the
 * receipt; a redelivery changes nothing.
 */
@OnEventSelfAcknowledged([ArticlePublished, ArticleUpdated, ArticleArchived], { queue: EmbeddingsQueue, job: 'kb.index-article' })
export class IndexArticleJob implements SelfAcknowledgingEventHandler<IndexingEvent> {
  constructor(private readonly indexer: ArticleIndexer) {}

  async handle(event: EnvelopeOf<IndexingEvent>, consumer: string): Promise<void> {
    await this.indexer.index(event.tenantId, event.aggregateId, event, consumer);
  }
}
