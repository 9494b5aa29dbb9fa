import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { newWebhookSecret } from '../../domain/signing';
import { WebhookSecrets } from '../../domain/webhook-secrets.service';
import { WebhookSecretRotated } from '../../integrations.context';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { CreatedWebhook } from '../save-webhook/save-webhook.command';
import { RotateWebhookSecretCommand } from './rotate-webhook-secret.command';

/** How long the secret before a rotation still signs deliveries, so receivers can switch without a gap. */
export const PREVIOUS_SECRET_VALID_MS = 24 * 3_600_000;

@CommandHandler(RotateWebhookSecretCommand)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecretCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
  ) {}

  async execute({ context, endpointId }: RotateWebhookSecretCommand): Promise<CreatedWebhook> {
    await this.secrets.ready();
    return this.tx.run(context, async (tx) => {
      const before = await this.webhooks.findEndpoint(tx, endpointId, true);
      if (!before) throw notFound('Webhook endpoint', endpointId);
      const secret = newWebhookSecret();
      const endpoint = await this.webhooks.rotateSecret(tx, endpointId, await this.secrets.seal(tx.tenantId, endpointId, secret), WebhookSecrets.hint(secret), PREVIOUS_SECRET_VALID_MS);
      await tx.audit({ action: 'webhook_endpoint.secret_rotated', entityType: 'webhook_endpoint', entityId: endpointId, before: { secretHint: before.secretHint }, after: { secretHint: endpoint.secretHint, previousValidUntil: endpoint.previousSecretExpiresAt } });
      await tx.emit(WebhookSecretRotated.of(endpointId, { previousValidUntil: endpoint.previousSecretExpiresAt! }));
      return { endpoint, secret };
    });
  }
}
