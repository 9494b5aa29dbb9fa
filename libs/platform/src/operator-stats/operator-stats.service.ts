import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { withinMs } from '../observability/metrics';
import { QueueRegistry } from '../queues/queue-registry.service';
import { ContextRegistry } from '../registry/context-registry';
import { operatorStatsWindow, type OperatorStatsSection, type OperatorStatsWindow } from './operator-stats';

/** A section's statements together may take this long (statement_timeout on PostgreSQL); then it is reported unavailable. */
const SECTION_TIMEOUT_MS = 5_000;
/** How long one queue's counts may take: a Redis that is down never holds the answer. */
const QUEUE_TIMEOUT_MS = 1_000;

export interface QueueHealth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Age of the oldest job waiting to be taken, in seconds; null when none waits. */
  oldestWaitingAgeSeconds: number | null;
}

export interface OperatorStatsView {
  generatedAt: string;
  window: { from: string; to: string; days: number; top: number };
  /** Every registered queue; a queue whose counts did not come in time is listed in `unavailable` as `queues.<name>`. */
  queues: QueueHealth[];
  /** One entry per section the registered contexts declare; null when it failed or took too long. */
  sections: Record<string, unknown>;
  unavailable: string[];
}

/** Collects the operators' statistics: queue health here, the rest from the sections contexts declare. */
@Injectable()
export class OperatorStats {
  private readonly logger = new Logger(OperatorStats.name);

  constructor(
    private readonly registry: ContextRegistry,
    private readonly queues: QueueRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async collect(now = new Date()): Promise<OperatorStatsView> {
    const window = operatorStatsWindow(now);
    const unavailable: string[] = [];
    // Redis and Postgres answer side by side; sections one after the other, so one call holds at most one connection.
    const queuesPromise = this.queueHealth(unavailable);
    const sections: Record<string, unknown> = {};
    for (const section of this.registry.operatorStats) {
      sections[section.name] = await this.section(section, window).catch((error: unknown) => {
        this.logger.warn(`Operator statistics section ${section.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        unavailable.push(section.name);
        return null;
      });
    }
    const queues = await queuesPromise;
    return {
      generatedAt: now.toISOString(),
      window: { from: window.from.toISOString(), to: window.to.toISOString(), days: window.days, top: window.top },
      queues,
      sections,
      unavailable: unavailable.sort(),
    };
  }

  /** One read-only transaction as the owner (every tenant's rows), bounded by a statement timeout. */
  private section(section: OperatorStatsSection, window: OperatorStatsWindow): Promise<unknown> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT set_config('transaction_read_only', 'on', true), set_config('statement_timeout', '${SECTION_TIMEOUT_MS}', true)`);
      return section.collect({ query: (sql, params) => manager.query(sql, params ? [...params] : undefined) }, window);
    });
  }

  private async queueHealth(unavailable: string[]): Promise<QueueHealth[]> {
    const results = await Promise.all(
      this.queues.all().map(async (queue) => {
        const read = async (): Promise<QueueHealth> => {
          const [counts, oldest] = await Promise.all([queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), queue.getJobs(['wait'], 0, 0, true)]);
          const first = oldest[0];
          return {
            name: queue.name,
            waiting: counts.waiting ?? 0,
            active: counts.active ?? 0,
            delayed: counts.delayed ?? 0,
            failed: counts.failed ?? 0,
            oldestWaitingAgeSeconds: first ? Math.max(0, Math.round((Date.now() - first.timestamp) / 1000)) : null,
          };
        };
        const health = await withinMs(read(), QUEUE_TIMEOUT_MS);
        if (!health) unavailable.push(`queues.${queue.name}`);
        return health;
      }),
    );
    return results.filter((h): h is QueueHealth => h !== null).sort((a, b) => a.name.localeCompare(b.name));
  }
}
