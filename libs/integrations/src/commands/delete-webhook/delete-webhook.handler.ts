import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { WebhookEndpointDeleted } from '../../integrations.context';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import { DeleteWebhookCommand } from './delete-webhook.command';

@CommandHandler(DeleteWebhookCommand)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhookCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
  ) {}

  execute({ context, endpointId }: DeleteWebhookCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const before = await this.webhooks.findEndpoint(tx, endpointId, true);
      if (!before) throw notFound('Webhook endpoint', endpointId);
      await this.webhooks.deleteEndpoint(tx, endpointId);
      await tx.audit({ action: 'webhook_endpoint.deleted', entityType: 'webhook_endpoint', entityId: endpointId, before: { url: before.url, eventTypes: before.eventTypes, active: before.active } });
      await tx.emit(WebhookEndpointDeleted.of(endpointId, {}));
    });
  }
}
