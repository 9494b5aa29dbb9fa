import { Inject } from '@nestjs/common';
import { HandlesJob, QueueRegistry, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { RecomputeTicketMetrics, reportingConfig, type ReportingConfig } from '../reporting.context';
import { TicketMetricsUpdater } from './ticket-metrics-updater';

/**
 * Queues a tenant's batched recompute `delayMs` from now, unless one is pending: later calls fold
 * into it (its time stands, so a steady stream of events cannot postpone it) and a call while it
 * runs is kept to run after it (marks made during a batch are never left waiting for the sweep).
 */
export function queueTicketMetricsRecompute(queues: QueueRegistry, tenantId: string, delayMs: number): Promise<void> {
  return queues.add(RecomputeTicketMetrics, { tenantId }, { delay: delayMs, deduplication: { id: `${RecomputeTicketMetrics.name}:${tenantId}`, keepLastIfActive: true } });
}

/**
 * The tenant's marked tickets, recomputed in batches of REPORTING_METRICS_BATCH, one transaction
 * each (ADR 0065), until none are left. A crash loses nothing: the marks of an unfinished batch
 * roll back with it and the sweep queues the tenant again. Idempotent: a run that finds no marks
 * does nothing, and a ticket marked twice is recomputed from its whole history either way.
 */
@HandlesJob(RecomputeTicketMetrics)
export class RecomputeTicketMetricsJob implements JobHandler<{ tenantId: string }> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly updater: TicketMetricsUpdater,
    @Inject(reportingConfig.token) private readonly config: ReportingConfig,
  ) {}

  async handle({ tenantId }: { tenantId: string }): Promise<void> {
    const limit = this.config.REPORTING_METRICS_BATCH;
    const context = { tenantId, actorId: null, correlationId: null, actorType: 'system' as const };
    while ((await this.tx.run(context, (tx) => this.updater.refreshDirty(tx, limit))) === limit);
  }
}
