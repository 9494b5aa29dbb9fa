import { Module } from '@nestjs/common';
import { KnowledgeBaseModule } from './knowledge-base.module';
import { EmbeddingsQueueProcessor } from './worker/embeddings-queue.processor';
import { IndexArticleJob } from './worker/index-article.job';

@Module({
  imports: [KnowledgeBaseModule],
  providers: [EmbeddingsQueueProcessor, IndexArticleJob],
})
export class KnowledgeBaseWorkerModule {}
