import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { deleteInBatches, HandlesJob, QueueRegistry, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { DeliverWebhookCommand } from '../commands/deliver-webhook/deliver-webhook.command';
import { DeliverWebhook, PruneWebhookLog, SweepWebhooks, WEBHOOK_LOG_RETENTION_DAYS, WEBHOOK_SWEEP_LOOKAHEAD_MS } from '../integrations.context';
import { rowsOf } from '../repositories/webhooks.repository';
import { webhookSweepSql } from '../repositories/webhooks.sql';

/** A send that has not settled in this long was interrupted (the attempt itself times out far sooner). */
export const SENDING_STALE_MS = 5 * 60_000;
const BATCH = 500;

@HandlesJob(DeliverWebhook)
export class DeliverWebhookJob implements JobHandler<{ tenantId: string; deliveryId: string }> {
  constructor(private readonly commands: CommandBus) {}

  async handle({ tenantId, deliveryId }: { tenantId: string; deliveryId: string }): Promise<void> {
    await this.commands.execute(new DeliverWebhookCommand(tenantId, deliveryId));
  }
}

/**
 * Every 10 s across tenants: puts interrupted sends back to pending (receivers dedupe on
 * Webhook-Id, so a second send is safe) and queues deliveries falling due within the look-ahead,
 * each a delayed job at its instant keyed by its row, so queueing twice leaves one.
 */
@HandlesJob(SweepWebhooks)
export class SweepWebhooksJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(SweepWebhooksJob.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(): Promise<void> {
    const until = new Date(Date.now() + WEBHOOK_SWEEP_LOOKAHEAD_MS);
    const due = await this.tx.runAsSystem(async (manager) => {
      const interrupted = webhookSweepSql.interrupted(SENDING_STALE_MS);
      await manager.query(interrupted.sql, interrupted.params as unknown[]);
      const s = webhookSweepSql.due(until, BATCH);
      return rowsOf<{ tenant_id: string; id: string; next_attempt_at: Date }[]>(await manager.query(s.sql, s.params as unknown[]));
    });
    const results = await Promise.allSettled(due.map((r) => this.queues.schedule(DeliverWebhook, { tenantId: r.tenant_id, deliveryId: r.id }, { key: r.id, runAt: new Date(r.next_attempt_at) })));
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0) this.logger.warn({ failed }, 'Webhook jobs not queued; the next sweep retries');
  }
}

/** Nightly: the delivery log keeps settled deliveries (and the event data in their bodies) for 30 days. */
@HandlesJob(PruneWebhookLog)
export class PruneWebhookLogJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(PruneWebhookLogJob.name);

  constructor(private readonly tx: TenantTransaction) {}

  async handle(): Promise<void> {
    const deleted = await deleteInBatches(this.tx, webhookSweepSql.prune(WEBHOOK_LOG_RETENTION_DAYS));
    if (deleted > 0) this.logger.log({ deleted }, 'Old webhook deliveries deleted');
  }
}
