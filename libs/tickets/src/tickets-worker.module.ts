import { Module } from '@nestjs/common';
import { TicketsModule } from './tickets.module';
import { FollowContactMergeJob } from './worker/follow-contact-merge.job';
import { TicketsQueueProcessor } from './worker/tickets-queue.processor';

@Module({
  imports: [TicketsModule],
  providers: [TicketsQueueProcessor, FollowContactMergeJob],
})
export class TicketsWorkerModule {}
