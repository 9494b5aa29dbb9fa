import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { WebhookSecrets } from '../../domain/webhook-secrets.service';
import { WebhookSender } from '../../domain/webhook-sender';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import { PingWebhookCommand, type PingResult } from './ping-webhook.command';

export const PING_EVENT_TYPE = 'webhook.ping';

/** Reads the endpoint and its secrets in a transaction, then calls out with none open. Works on a disabled endpoint too (to check it before turning it on). */
@CommandHandler(PingWebhookCommand)
export class PingWebhookHandler implements ICommandHandler<PingWebhookCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
    private readonly sender: WebhookSender,
  ) {}

  async execute({ context, endpointId }: PingWebhookCommand): Promise<PingResult> {
    await this.secrets.ready();
    const { url, secrets } = await this.tx.run(context, async (tx) => {
      const endpoint = await this.webhooks.findEndpoint(tx, endpointId);
      if (!endpoint) throw notFound('Webhook endpoint', endpointId);
      return { url: endpoint.url, secrets: await this.secrets.open(tx.tenantId, endpointId, endpoint.secrets) };
    });
    const id = randomUUID();
    const body = JSON.stringify({ id, type: PING_EVENT_TYPE, version: 1, occurredAt: new Date().toISOString(), tenantId: context.tenantId, data: { endpointId } });
    const sent = await this.sender.send(url, secrets, { id, eventType: PING_EVENT_TYPE, body });
    return { ok: sent.ok, status: sent.status, durationMs: sent.durationMs, responseBody: sent.body, error: sent.error };
  }
}
