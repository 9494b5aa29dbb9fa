import { Module } from '@nestjs/common';
import { IntegrationsModule } from './integrations.module';
import { FanOutWebhooksJob } from './worker/fan-out-webhooks.job';
import { DeliverWebhookJob, PruneWebhookLogJob, SweepWebhooksJob } from './worker/webhook-jobs';
import { WebhooksQueueProcessor } from './worker/webhooks-queue.processor';

@Module({ imports: [IntegrationsModule], providers: [WebhooksQueueProcessor, FanOutWebhooksJob, DeliverWebhookJob, SweepWebhooksJob, PruneWebhookLogJob] })
export class IntegrationsWorkerModule {}
