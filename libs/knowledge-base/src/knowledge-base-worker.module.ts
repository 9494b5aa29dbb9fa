import { Module } from '@nestjs/common';
import { CustomersModule } from '@switchboard/customers';
import { EraseContactFromFeedbackJob } from './worker/erase-contact-from-feedback.job';
import { KnowledgeBaseModule } from './knowledge-base.module';
import { EmbeddingsQueueProcessor } from './worker/embeddings-queue.processor';
import { IndexArticleJob } from './worker/index-article.job';

@Module({
  imports: [KnowledgeBaseModule, CustomersModule],
  providers: [EmbeddingsQueueProcessor, IndexArticleJob, EraseContactFromFeedbackJob],
})
export class KnowledgeBaseWorkerModule {}
