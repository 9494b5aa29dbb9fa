import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { MAILER, QueueRegistry, TenantTransaction, type CommandContext, type Mailer } from '@switchboard/platform';
import { GetOwnerEmailsQuery } from '@switchboard/tenancy';
import { decide, sustainedFailure, type Decision } from '../../domain/attempt-outcome';
import { WebhookSecrets } from '../../domain/webhook-secrets.service';
import { WebhookSender, type SendResult } from '../../domain/webhook-sender';
import { DeliverWebhook, integrationsConfig, WebhookEndpointDisabled, type IntegrationsConfig } from '../../integrations.context';
import { WebhooksRepository } from '../../repositories/webhooks.repository';
import type { AttemptOutcome, DeliveryView } from '../../repositories/webhooks.sql';
import { DeliverWebhookCommand } from './deliver-webhook.command';

/**
 * One attempt, in three steps so no transaction stays open across the call: claim the pending
 * delivery (`sending`, attempts + 1) and open the endpoint's secrets; send; settle — succeeded,
 * retry at the backoff's instant (queued after commit; the sweep queues it should that fail), or
 * failed. A 410 disables the endpoint at once; failures lasting WEBHOOKS_DISABLE_AFTER_MS disable
 * it too, and its owners are told by email.
 */
@CommandHandler(DeliverWebhookCommand)
export class DeliverWebhookHandler implements ICommandHandler<DeliverWebhookCommand> {
  private readonly logger = new Logger(DeliverWebhookHandler.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly webhooks: WebhooksRepository,
    private readonly secrets: WebhookSecrets,
    private readonly sender: WebhookSender,
    private readonly queues: QueueRegistry,
    private readonly queries: QueryBus,
    @Inject(MAILER) private readonly mailer: Mailer,
    @Inject(integrationsConfig.token) private readonly config: IntegrationsConfig,
  ) {}

  async execute({ tenantId, deliveryId }: DeliverWebhookCommand): Promise<DeliveryView | undefined> {
    const context: CommandContext = { tenantId, actorId: null, actorType: 'system', correlationId: deliveryId };
    await this.secrets.ready();
    const claimed = await this.tx.run(context, async (tx) => {
      const delivery = await this.webhooks.claimDelivery(tx, deliveryId);
      if (!delivery) return undefined;
      const endpoint = await this.webhooks.findEndpoint(tx, delivery.endpointId);
      if (!endpoint?.active) return { delivery, endpoint: undefined, secrets: [] };
      return { delivery, endpoint, secrets: await this.secrets.open(tenantId, endpoint.id, endpoint.secrets) };
    });
    if (!claimed) return undefined;
    const { delivery, endpoint, secrets } = claimed;
    if (!endpoint) {
      return this.tx.run(context, (tx) =>
        this.webhooks.settleDelivery(tx, deliveryId, { status: 'failed', responseStatus: null, responseBody: null, durationMs: 0, error: 'The endpoint is disabled', nextAttemptAt: null }),
      );
    }

    const result = await this.sender.send(endpoint.url, secrets, { id: delivery.id, eventType: delivery.eventType, body: delivery.body });
    const decision = decide(result, delivery.attempts, delivery.windowStartedAt, { baseMs: this.config.WEBHOOKS_RETRY_BASE_MS, maxMs: this.config.WEBHOOKS_RETRY_MAX_DELAY_MS });
    let disabled: string | null = null;
    const settled = await this.tx.run(context, async (tx) => {
      const view = await this.webhooks.settleDelivery(tx, deliveryId, outcomeOf(result, decision));
      if (decision.kind === 'succeeded') {
        await this.webhooks.recordSuccess(tx, endpoint.id);
        return view;
      }
      const streak = await this.webhooks.recordFailure(tx, endpoint.id);
      const reason =
        decision.kind === 'gone'
          ? 'The endpoint answered 410 Gone.'
          : streak && sustainedFailure(streak.failingSince, this.config.WEBHOOKS_DISABLE_AFTER_MS)
            ? `Every delivery attempt has failed since ${streak.failingSince.toISOString()} (${streak.consecutiveFailures} in a row).`
            : null;
      if (reason && (await this.webhooks.disable(tx, endpoint.id, reason))) {
        disabled = reason;
        await tx.audit({ action: 'webhook_endpoint.disabled', entityType: 'webhook_endpoint', entityId: endpoint.id, before: { active: true }, after: { active: false, reason } });
        await tx.emit(WebhookEndpointDisabled.of(endpoint.id, { reason }));
      } else if (streak && !streak.active) {
        // Turned off (by a user or a concurrent attempt) while this one was in flight.
        await this.webhooks.failPending(tx, endpoint.id, 'Endpoint disabled');
        return this.webhooks.findDelivery(tx, deliveryId);
      }
      return view;
    });

    if (decision.kind === 'retry' && settled?.status === 'pending') {
      await this.queues.schedule(DeliverWebhook, { tenantId, deliveryId }, { key: deliveryId, runAt: decision.at }).catch(() => undefined);
    }
    if (disabled) await this.tellOwners(tenantId, endpoint.url, disabled);
    return settled;
  }

  /** Best effort after commit: the endpoint is off either way, and its state says why. */
  private async tellOwners(tenantId: string, url: string, reason: string): Promise<void> {
    try {
      const owners = await this.queries.execute(new GetOwnerEmailsQuery(tenantId));
      for (const to of owners) {
        await this.mailer.send({
          to,
          subject: 'A webhook endpoint was disabled',
          text:
            `Switchboard stopped sending webhooks to ${url}.\n\n${reason}\n\n` +
            'Pending deliveries to it were given up. Once the receiver works again, turn the endpoint back on (PATCH /v1/webhooks/{id} with "active": true) and redeliver what it missed from its delivery log.',
        });
      }
    } catch (error) {
      this.logger.warn({ tenantId, error: String(error) }, 'Could not email the owners about a disabled webhook endpoint');
    }
  }
}

function outcomeOf(result: SendResult, decision: Decision): AttemptOutcome {
  const base = { responseStatus: result.status, responseBody: result.body, durationMs: result.durationMs, error: result.error };
  switch (decision.kind) {
    case 'succeeded':
      return { ...base, status: 'succeeded', nextAttemptAt: null };
    case 'retry':
      return { ...base, status: 'pending', nextAttemptAt: decision.at };
    case 'gone':
      return { ...base, status: 'failed', nextAttemptAt: null, error: 'answered 410 Gone: endpoint disabled' };
    case 'refused':
    case 'exhausted':
      return { ...base, status: 'failed', nextAttemptAt: null, error: decision.kind === 'exhausted' ? `${result.error ?? 'failed'}; retries exhausted` : result.error };
  }
}
