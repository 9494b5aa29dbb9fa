import { Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { HandlesJob, QueueRegistry, type JobHandler } from '@switchboard/platform';
import { ListTenantsQuery } from '@switchboard/tenancy';
import { QueueWeeklyDigests, SendWeeklyDigest, weeklyDigestJobId } from '../digest/digest.definitions';
import { digestDue, lastWeek } from '../digest/weekly-digest';

/** Tenants read per page of the sweep. */
const PAGE = 100;

/**
 * Hourly (schedule `reporting.weekly-digests`): every active tenant whose local Monday 07:00 has
 * passed gets its digest of last week queued, under a job id per tenant and week, so the sweeps of
 * the rest of that Monday fold into the one job. Whether the tenant turned the digest off is the
 * job's to check (it reads the tenant's own rows).
 */
@HandlesJob(QueueWeeklyDigests)
export class QueueWeeklyDigestsJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(QueueWeeklyDigestsJob.name);

  constructor(
    private readonly queries: QueryBus,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(): Promise<void> {
    await this.queueDue(new Date());
  }

  /** Queues the digests due at `now`; answers how many (a tenant's later sweeps fold into its job). */
  async queueDue(now: Date): Promise<number> {
    let cursor: string | undefined;
    let queued = 0;
    do {
      const page = await this.queries.execute(new ListTenantsQuery({ limit: PAGE, cursor }, 'active'));
      for (const tenant of page.data) {
        if (!digestDue(now, tenant.timezone)) continue;
        const payload = { tenantId: tenant.id, weekStart: lastWeek(now, tenant.timezone).weekStart };
        await this.queues.add(SendWeeklyDigest, payload, { jobId: weeklyDigestJobId(payload) });
        queued++;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (queued > 0) this.logger.log({ queued }, 'Weekly digests queued');
    return queued;
  }
}
