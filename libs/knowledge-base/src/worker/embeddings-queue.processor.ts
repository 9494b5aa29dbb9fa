import { Processor } from '@nestjs/bullmq';
import { QueueProcessor } from '@switchboard/platform';
import { EmbeddingsQueue } from '../knowledge-base.context';

// Embedding is CPU-bound (local) or remote (OpenAI): a few at a time keeps the api responsive.
@Processor('embeddings', { autorun: false, concurrency: 2 })
export class EmbeddingsQueueProcessor extends QueueProcessor {
  readonly queue = EmbeddingsQueue.name;
}
