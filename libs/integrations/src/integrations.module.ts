import { Module } from '@nestjs/common';
import { DeleteWebhookHandler } from './commands/delete-webhook/delete-webhook.handler';
import { DeliverWebhookHandler } from './commands/deliver-webhook/deliver-webhook.handler';
import { PingWebhookHandler } from './commands/ping-webhook/ping-webhook.handler';
import { RedeliverWebhookHandler } from './commands/redeliver-webhook/redeliver-webhook.handler';
import { RotateWebhookSecretHandler } from './commands/rotate-webhook-secret/rotate-webhook-secret.handler';
import { SaveWebhookHandler } from './commands/save-webhook/save-webhook.handler';
import { WebhookSecrets } from './domain/webhook-secrets.service';
import { WebhookSender } from './domain/webhook-sender';
import { ListWebhookDeliveriesHandler } from './queries/list-webhook-deliveries/list-webhook-deliveries.handler';
import { ListWebhooksHandler } from './queries/list-webhooks/list-webhooks.handler';
import { WebhooksRepository } from './repositories/webhooks.repository';

/** Outbound webhooks: endpoints, secrets, deliveries. Shared by the api and the worker. */
@Module({
  providers: [
    WebhooksRepository,
    WebhookSecrets,
    WebhookSender,
    SaveWebhookHandler,
    DeleteWebhookHandler,
    RotateWebhookSecretHandler,
    RedeliverWebhookHandler,
    PingWebhookHandler,
    DeliverWebhookHandler,
    ListWebhooksHandler,
    ListWebhookDeliveriesHandler,
  ],
  exports: [WebhooksRepository],
})
export class IntegrationsModule {}
