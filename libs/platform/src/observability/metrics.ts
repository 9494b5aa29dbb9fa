import { Inject, Injectable, Module, Global, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DataSource } from 'typeorm';
import { QueueRegistry } from '../queues/queue-registry.service';

/** How long a scrape waits for a queue's counts. */
const QUEUE_COUNT_TIMEOUT_MS = 1_000;

/** The promise's value, or null if it fails or takes longer than `ms`. */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise.catch(() => null), late]).finally(() => clearTimeout(timer));
}

/**
 * How long a waiting job has waited: since it was added, or since it became due for a delayed
 * one (a job delayed for an hour is not an hour late when it is promoted). 0 for none.
 */
export function oldestWaitingSeconds(job: { timestamp: number; delay?: number } | undefined, now: number): number {
  if (!job) return 0;
  return Math.max(0, (now - job.timestamp - (job.delay ?? 0)) / 1000);
}

/** One Prometheus registry per process: HTTP latency, pool, queues, outbox, Node defaults. */
@Injectable()
export class Metrics implements OnModuleInit {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly deprecatedRequests = new Counter({
    name: 'http_deprecated_requests_total',
    help: 'Answered requests to routes declared @Deprecated, by method and route: who still calls what is about to go away',
    labelNames: ['method', 'route'] as const,
    registers: [this.registry],
  });

  readonly outboxDispatched = new Counter({
    name: 'outbox_events_dispatched_total',
    help: 'Events moved from the outbox onto queues (including re-dispatches)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly jobsProcessed = new Counter({
    name: 'queue_jobs_processed_total',
    help: 'Jobs handled by this worker, by queue, job and outcome',
    labelNames: ['queue', 'job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly consoleSockets = new Gauge({
    name: 'realtime_console_sockets',
    help: 'Agent console sockets connected to this api process',
    registers: [this.registry],
  });

  readonly consoleClosed = new Counter({
    name: 'realtime_console_closed_total',
    help: 'Agent console sockets the server closed, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly handshakesRefused = new Counter({
    name: 'realtime_handshakes_refused_total',
    help: 'Agent console handshakes refused, by reason (rate-limited per IP, unauthorized, forbidden, unavailable)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly databaseUnavailable = new Counter({
    name: 'http_database_unavailable_total',
    help: 'Requests answered 503 because the database could not serve them (down, out of connections, timed out)',
    registers: [this.registry],
  });

  readonly requestsShed = new Counter({
    name: 'http_requests_shed_total',
    help: 'Requests refused 429 before express and Nest, by the per-process token bucket that was empty (tenant, api-key)',
    labelNames: ['bucket'] as const,
    registers: [this.registry],
  });

  readonly tenantWork = new Counter({
    name: 'db_tenant_work_total',
    help: 'Tenant database units of work (transactions and statement batches) started by this process',
    registers: [this.registry],
  });

  readonly tenantWorkWaits = new Counter({
    name: 'db_tenant_work_waits_total',
    help: 'Tenant units of work that found their tenant at its concurrency cap: waited (then ran), or refused after waiting too long',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Reads of process-local invalidated caches: hit, miss (loaded), bypass (no invalidation feed, loaded)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(QueueRegistry) private readonly queues: QueueRegistry,
  ) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.registry });
    const pool = () => (this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }).master;
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'total' }, p.totalCount);
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
      },
    });
    const queues = this.queues;
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        // A scrape never waits for a Redis that is down: a queue not counted in time has no series
        // this scrape (rather than a stale one), and the readiness check says why.
        this.reset();
        await Promise.all(
          queues.all().map(async (queue) => {
            const counts = await withinMs(queue.getJobCounts('waiting', 'active', 'delayed', 'failed'), QUEUE_COUNT_TIMEOUT_MS);
            if (!counts) return;
            for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
          }),
        );
      },
    });
    new Gauge({
      name: 'queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting in each queue (0 when none waits), read on scrape: how far behind its consumers are',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const now = Date.now();
        await Promise.all(
          queues.all().map(async (queue) => {
            // The head of the wait list only: one job per queue per scrape.
            const jobs = await withinMs(queue.getJobs(['wait'], 0, 0, true), QUEUE_COUNT_TIMEOUT_MS);
            if (!jobs) return;
            this.set({ queue: queue.name }, oldestWaitingSeconds(jobs[0], now));
          }),
        );
      },
    });
    const dataSource = this.dataSource;
    new Gauge({
      name: 'outbox_events_pending',
      help: 'Committed events not yet dispatched, and dispatched but not yet acknowledged by every consumer',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const rows: { undispatched: string; unacknowledged: string }[] = await dataSource
          .query(
            `SELECT count(*) FILTER (WHERE dispatched_at IS NULL) AS undispatched,
                    count(*) FILTER (WHERE dispatched_at IS NOT NULL AND completed_at IS NULL) AS unacknowledged
               FROM outbox WHERE completed_at IS NULL`,
          )
          .catch(() => []);
        if (!rows[0]) return;
        this.set({ state: 'undispatched' }, Number(rows[0].undispatched));
        this.set({ state: 'unacknowledged' }, Number(rows[0].unacknowledged));
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
