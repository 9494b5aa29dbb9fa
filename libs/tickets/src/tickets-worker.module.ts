import { Module } from '@nestjs/common';
import { CHANNEL_WORKER_PROVIDERS } from './channels/channels.providers';
import { SLA_WORKER_PROVIDERS } from './sla/worker/sla-jobs';
import { TicketsModule } from './tickets.module';
import { TRIGGER_WORKER_PROVIDERS } from './triggers/triggers.providers';
import { EraseContactFromTicketsJob } from './worker/erase-contact-from-tickets.job';
import { FollowContactMergeJob } from './worker/follow-contact-merge.job';
import { FollowMemberRemovalJob } from './worker/follow-member-removal.job';
import { PurgeDeletedTicketJob } from './worker/purge-deleted-ticket.job';
import { OfferCsatSurveyJob } from './worker/offer-csat-survey.job';
import { LearnFromArticleLinksJob } from './worker/learn-from-article-links.job';
import { TicketsQueueProcessor } from './worker/tickets-queue.processor';
import { AssignWaitingTicketsJob } from './assignment/event-handlers/assign-waiting.job';

@Module({
  imports: [TicketsModule],
  providers: [TicketsQueueProcessor, FollowContactMergeJob, FollowMemberRemovalJob, PurgeDeletedTicketJob, EraseContactFromTicketsJob, OfferCsatSurveyJob, LearnFromArticleLinksJob, AssignWaitingTicketsJob, ...CHANNEL_WORKER_PROVIDERS, ...TRIGGER_WORKER_PROVIDERS, ...SLA_WORKER_PROVIDERS],
})
export class TicketsWorkerModule {}
