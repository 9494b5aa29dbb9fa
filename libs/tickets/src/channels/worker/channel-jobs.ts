import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { HandlesJob, QueueRegistry, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { CHANNEL_SWEEP_LOOKAHEAD_MS, DeliverMessage, ProcessInbound, SweepChannels } from '../channels.registration';
import { DeliverMessageCommand } from '../commands/deliver-message/deliver-message.command';
import { INBOUND_CLAIM_STALE_MS } from '../commands/process-inbound/process-inbound.handler';
import { ProcessInboundCommand } from '../commands/process-inbound/process-inbound.command';
import { channelSweepSql, rowsOf } from '../repositories/channels.repository';

/** A send that has not settled in this long is taken to be interrupted. */
export const SENDING_STALE_MS = 10 * 60_000;
const BATCH = 500;

@HandlesJob(ProcessInbound)
export class ProcessInboundJob implements JobHandler<{ tenantId: string; inboundId: string }> {
  constructor(private readonly commands: CommandBus) {}

  async handle({ tenantId, inboundId }: { tenantId: string; inboundId: string }): Promise<void> {
    await this.commands.execute(new ProcessInboundCommand(tenantId, inboundId));
  }
}

@HandlesJob(DeliverMessage)
export class DeliverMessageJob implements JobHandler<{ tenantId: string; deliveryId: string }> {
  constructor(private readonly commands: CommandBus) {}

  async handle({ tenantId, deliveryId }: { tenantId: string; deliveryId: string }): Promise<void> {
    await this.commands.execute(new DeliverMessageCommand(tenantId, deliveryId));
  }
}

/**
 * Every 10 s across tenants: queues inbound mail and delivery retries falling due within the
 * look-ahead (each a delayed job at its instant, keyed by its row, so queueing twice leaves one),
 * and dead-letters sends a stopped worker left half-done.
 */
@HandlesJob(SweepChannels)
export class SweepChannelsJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(SweepChannelsJob.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(): Promise<void> {
    const until = new Date(Date.now() + CHANNEL_SWEEP_LOOKAHEAD_MS);
    const { inbound, deliveries, interrupted } = await this.tx.runAsSystem(async (manager) => {
      const run = async (s: { sql: string; params: unknown[] }) => rowsOf<Record<string, any>[]>(await manager.query(s.sql, s.params));
      return {
        interrupted: await run(channelSweepSql.interruptedDeliveries(SENDING_STALE_MS)),
        inbound: await run(channelSweepSql.dueInbound(until, INBOUND_CLAIM_STALE_MS, BATCH)),
        deliveries: await run(channelSweepSql.dueDeliveries(until, BATCH)),
      };
    });
    if (interrupted.length > 0) this.logger.warn({ deliveries: interrupted.length }, 'Deliveries interrupted mid-send dead-lettered');
    const results = await Promise.allSettled([
      ...inbound.map((r) => this.queues.schedule(ProcessInbound, { tenantId: r.tenant_id, inboundId: r.id }, { key: r.id, runAt: new Date(r.not_before) })),
      ...deliveries.map((r) => this.queues.schedule(DeliverMessage, { tenantId: r.tenant_id, deliveryId: r.id }, { key: r.id, runAt: new Date(r.next_attempt_at) })),
    ]);
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0) this.logger.warn({ failed }, 'Channel jobs not queued; the next sweep retries');
  }
}
