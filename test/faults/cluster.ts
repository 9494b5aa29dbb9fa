import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../../libs/platform/src/database/embedded/embedded-postgres';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { adminHeaders, freePort, startApi, startRedis, startWorker, waitFor, type RunningApi, type RunningProcess } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';
import { PROBLEM } from '../support/http';

/**
 * What the fault scenarios share: 2 api + 2 worker processes on a private Redis and queue prefix,
 * a load of writes whose every answer is recorded, and the checks that must hold after a fault.
 */

export type Worker = RunningProcess & { healthUrl: string };

export interface Cluster {
  redis: Awaited<ReturnType<typeof startRedis>>;
  apis: RunningApi[];
  workers: Worker[];
  session: TenantSession;
  sectionId: string;
  /** One statement on the cluster's database, on a connection of its own (the database may have restarted). */
  query(sql: string, params?: unknown[]): Promise<any[]>;
  prefix: string;
  env: Record<string, string>;
  /** The cluster's own embedded database, which a scenario may stop and start again (same data, same port). */
  database: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

export async function startCluster(options: { env?: Record<string, string> } = {}): Promise<Cluster> {
  const dataDir = join(mkdtempSync(join(process.env.E2E_DATA_DIR ?? tmpdir(), 'faults-')), 'pg');
  const port = await freePort();
  let pg: RunningEmbeddedPostgres | undefined = await startEmbeddedPostgres({ dataDir, port });
  const databaseUrl = pg.url;
  await promisify(execFile)(process.execPath, ['dist/scripts/migrate.js'], { env: { ...process.env, DATABASE_URL: databaseUrl } });
  const database = {
    async stop() {
      await pg?.stop();
      pg = undefined;
    },
    async start() {
      pg = await startEmbeddedPostgres({ dataDir, port });
    },
  };
  const redis = await startRedis();
  const prefix = `faults-${randomBytes(4).toString('hex')}`;
  // Short relay, acknowledgement and lease clocks, so the sweeper and a second relay act within a
  // test. With a 1 s acknowledgement timeout the sweeper passes over a job held by a killed worker
  // (until BullMQ's stall check frees it, 30 s and more) far more often than its park budget of 20
  // re-dispatches: the event must not be parked for that.
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    OUTBOX_POLL_MS: '50',
    OUTBOX_ACK_TIMEOUT_MS: '1000',
    OUTBOX_SWEEP_MS: '500',
    OUTBOX_CLAIM_LEASE_MS: '1000',
    RATE_LIMIT_TENANT_PER_MINUTE: '100000',
    DATABASE_URL: databaseUrl,
    ...options.env,
  };
  const apis = await Promise.all([startApi(env), startApi(env)]);
  const workers = await Promise.all([startWorker(env), startWorker(env)]);
  const session = await createTenant(apis[0].url, 'faults');
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${apis[0].url}${path}`, { method: 'POST', headers: session.headers('admin'), body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const category = await post('/v1/kb/categories', { locale: 'en', name: 'Faults' });
  const sectionId = (await post('/v1/kb/sections', { categoryId: category.id, name: 'Recovery' })).id;
  const query = async (sql: string, params: unknown[] = []) => {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      return (await db.query(sql, params)).rows;
    } finally {
      await db.end();
    }
  };
  const cluster: Cluster = {
    redis,
    apis,
    workers,
    session,
    sectionId,
    query,
    prefix,
    env,
    database,
    async stop() {
      await Promise.all([...cluster.apis, ...cluster.workers].map((p) => p.stop('SIGKILL')));
      await cluster.redis.stop('SIGKILL');
      await pg?.stop().catch(() => undefined);
    },
  };
  return cluster;
}

export type Kind = 'ticket' | 'article' | 'probe';

export interface Outcome {
  kind: Kind;
  api: number;
  status: number;
  ms: number;
  startedAt: number;
  /** The created thing's id, when acknowledged. */
  id?: string;
  /** The subject or note sent, unique per request, so a duplicate effect is visible. */
  label: string;
  contentType?: string;
  error?: string;
}

export interface Load {
  readonly outcomes: Outcome[];
  /** Stops sending new requests to this api (it is being drained); requests in flight carry on. */
  avoid(api: number): void;
  stop(): Promise<Outcome[]>;
}

async function send(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<Pick<Outcome, 'status' | 'id' | 'contentType' | 'error'> & { body?: any }> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as { id?: string }) : undefined;
    return { status: res.status, id: parsed?.id, contentType: res.headers.get('content-type') ?? undefined, body: parsed };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 0, error: cause?.code ?? (error as Error).name };
  }
}

/**
 * `concurrency` loops writing through both apis in turn: mostly tickets, every 8th an article
 * created and published (its chunks come from the worker), every 5th a probe (its consumer counts
 * how often it ran). Each answer is recorded with its latency.
 */
export function startLoad(cluster: Cluster, options: { concurrency?: number; timeoutMs?: number } = {}): Load {
  const outcomes: Outcome[] = [];
  const avoided = new Set<number>();
  let stopped = false;
  let n = 0;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers = cluster.session.headers('agent');
  const loop = async () => {
    while (!stopped) {
      const i = n++;
      const candidates = cluster.apis.map((_, index) => index).filter((index) => !avoided.has(index));
      const api = candidates[i % candidates.length]!;
      const base = cluster.apis[api]!.url;
      const kind: Kind = i % 8 === 7 ? 'article' : i % 5 === 4 ? 'probe' : 'ticket';
      const label = `${kind} ${i} ${randomBytes(3).toString('hex')}`;
      const startedAt = Date.now();
      let result: Awaited<ReturnType<typeof send>>;
      if (kind === 'ticket') {
        result = await send(`${base}/v1/tickets`, headers, { subject: label, requester: { email: 'faults@example.com' } }, timeoutMs);
      } else if (kind === 'probe') {
        result = await send(`${base}/v1/admin/probes`, adminHeaders(), { note: label }, timeoutMs);
      } else {
        result = await send(`${base}/v1/kb/articles`, headers, { sectionId: cluster.sectionId, title: label, body: `# ${label}\n\nBleed the radiator with its key until water appears, then close the valve.` }, timeoutMs);
        if (result.status === 201) {
          const published = await send(`${base}/v1/kb/articles/${result.id}/publish`, headers, undefined, timeoutMs);
          // The article exists either way; what counts for indexing is whether publishing was acknowledged.
          result = { ...published, id: result.id, status: published.status === 200 ? 201 : published.status };
        }
      }
      outcomes.push({ kind, api, label, startedAt, ms: Date.now() - startedAt, ...result });
    }
  };
  const loops = Array.from({ length: options.concurrency ?? 4 }, loop);
  return {
    outcomes,
    avoid: (api) => avoided.add(api),
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** Waits until `count` more writes have been acknowledged than `since` at the call. */
export async function acknowledged(load: Load, count: number, timeoutMs = 30_000): Promise<void> {
  const start = load.outcomes.filter((o) => o.status === 201).length;
  await waitFor(async () => load.outcomes.filter((o) => o.status === 201).length >= start + count, `${count} more acknowledged writes`, timeoutMs);
}

export function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

/** Answers that are neither an acknowledgement nor a clear problem+json refusal other than 500. */
export function unclear(outcomes: Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.status !== 201 && (o.status === 0 || o.status >= 500 && o.status !== 503 || !PROBLEM.test(o.contentType ?? '')));
}

async function queueBacklog(redis: Redis, prefix: string): Promise<Record<string, number>> {
  const backlog: Record<string, number> = {};
  for (const key of await redis.keys(`${prefix}:*`)) {
    const kind = key.slice(key.lastIndexOf(':') + 1);
    if (kind === 'wait' || kind === 'active' || kind === 'paused') backlog[key] = await redis.llen(key);
    else if (kind === 'prioritized' || kind === 'waiting-children') backlog[key] = await redis.zcard(key);
  }
  return Object.fromEntries(Object.entries(backlog).filter(([, n]) => n > 0));
}

/** How many jobs are running now, in all of the cluster's queues. */
export async function activeJobs(cluster: Cluster): Promise<number> {
  const redis = new Redis(cluster.redis.url);
  try {
    let n = 0;
    for (const key of await redis.keys(`${cluster.prefix}:*:active`)) n += await redis.llen(key);
    return n;
  } finally {
    redis.disconnect();
  }
}

/**
 * After a fault, once the system has had time to recover: every acknowledged write is there once,
 * every event committed for the test's tenant (and its probes) was acknowledged by each of its
 * consumers and marked completed, each probe ran exactly once, each published article is indexed
 * with one set of chunks, and no queue holds a job.
 */
export async function expectRecovered(cluster: Cluster, outcomes: Outcome[], timeoutMs = 90_000): Promise<void> {
  const { query, session } = cluster;
  const tenantId = session.tenant.id;
  const acked = (kind: Kind) => outcomes.filter((o) => o.kind === kind && o.status === 201);

  const tickets = (await query(`SELECT id, subject FROM tickets WHERE tenant_id = $1`, [tenantId])) as { id: string; subject: string }[];
  const ticketIds = new Set(tickets.map((t) => t.id));
  expect(acked('ticket').filter((o) => !ticketIds.has(o.id!))).toEqual([]);
  // One row per request at most: a retried or re-delivered write never made a second ticket.
  const bySubject = new Map<string, number>();
  for (const t of tickets) bySubject.set(t.subject, (bySubject.get(t.subject) ?? 0) + 1);
  expect([...bySubject].filter(([, n]) => n > 1)).toEqual([]);

  const probeIds = acked('probe').map((o) => o.id!);
  const articleIds = acked('article').map((o) => o.id!);

  // Every event of the tenant and of the probes: each consumer acknowledged it (completed), none parked.
  const pending = async () =>
    query(
      `SELECT id, type, completed_at, failed_at FROM outbox
        WHERE (tenant_id = $1 OR aggregate_id = ANY($2::text[])) AND (completed_at IS NULL OR failed_at IS NOT NULL)`,
      [tenantId, probeIds],
    );
  await waitFor(async () => (await pending()).length === 0, 'every committed event to be acknowledged by each consumer', timeoutMs).catch(async (error: Error) => {
    throw new Error(`${error.message}\n${JSON.stringify(await pending())}`);
  });
  const parked = await query(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND failed_at IS NOT NULL`, [tenantId]);
  expect(parked[0].n).toBe(0);
  // Each event of one type reached the same consumers: no consumer was skipped for some of them.
  const consumers = await query(
    `SELECT o.type, count(DISTINCT r.consumer)::int AS consumers, count(*)::int AS receipts, count(DISTINCT o.id)::int AS events
       FROM outbox o JOIN event_receipts r ON r.event_id = o.id AND r.tenant_id = o.tenant_id
      WHERE o.tenant_id = $1 GROUP BY o.type`,
    [tenantId],
  );
  for (const row of consumers) expect({ type: row.type, receipts: row.receipts }).toEqual({ type: row.type, receipts: row.consumers * row.events });
  expect(consumers.map((r) => r.type)).toEqual(expect.arrayContaining(['tickets.ticket_created']));

  const probes = await query(`SELECT id, consumption_count FROM probes WHERE id = ANY($1::uuid[])`, [probeIds]);
  expect(probes).toHaveLength(probeIds.length);
  expect(probes.filter((p) => p.consumption_count !== 1)).toEqual([]);

  const unindexed = async () =>
    query(`SELECT id FROM kb_articles WHERE id = ANY($1::uuid[]) AND (status <> 'published' OR indexed_version IS DISTINCT FROM version)`, [articleIds]);
  await waitFor(async () => (await unindexed()).length === 0, 'every published article to be indexed', timeoutMs);
  const chunks = await query(
    `SELECT article_id, count(*)::int AS n, count(DISTINCT ordinal)::int AS ordinals FROM kb_chunks WHERE article_id = ANY($1::uuid[]) GROUP BY article_id`,
    [articleIds],
  );
  expect(chunks).toHaveLength(articleIds.length);
  expect(chunks.filter((c) => c.n !== c.ordinals)).toEqual([]);

  const redis = new Redis(cluster.redis.url);
  try {
    await waitFor(async () => Object.keys(await queueBacklog(redis, cluster.prefix)).length === 0, 'every queue to drain', timeoutMs).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${JSON.stringify(await queueBacklog(redis, cluster.prefix))}`);
    });
  } finally {
    redis.disconnect();
  }
}
