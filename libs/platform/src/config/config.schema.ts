import { z } from 'zod';
import { timingProblem, type ScheduleTiming } from '../registry/schedules';
import { tracingConfigSchema } from './tracing.config';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const port = int(0, 65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Sizes such as `1mb`, `512kb` or a byte count. */
const byteSize = z
  .string()
  .regex(/^\d+(b|kb|mb)?$/i, 'expected a size such as 1mb, 512kb or 1048576')
  .transform((v) => {
    const m = /^(\d+)(b|kb|mb)?$/i.exec(v)!;
    const factor = { b: 1, kb: 1024, mb: 1024 * 1024 }[(m[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
    return Number(m[1]) * factor;
  });

/** Queue names, or `all`; checked against the registered contexts' queues by loadConfig. */
const queueList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]*$|^all$/, 'queue names are lower case letters, digits and -')));

/**
 * Per-deployment timing of registered schedules, JSON by schedule id: `{"pattern": "0 4 * * *", "tz": "Europe/Berlin"}`,
 * `{"every": 60000}` or `"off"`; ids are checked against the registered schedules by loadConfig.
 */
const scheduleOverrides = z
  .string()
  .transform((v, ctx) => {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON such as {"platform.retention":{"pattern":"0 4 * * *","tz":"UTC"}}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string(),
      z.union([
        z.literal('off'),
        z.object({ every: z.number() }).strict(),
        z
          .object({ pattern: z.string().min(1), tz: z.string().min(1).default('UTC') })
          .strict(),
      ]),
    ),
  )
  .superRefine((overrides, ctx) => {
    for (const [id, timing] of Object.entries(overrides)) {
      const problem = timing === 'off' ? null : timingProblem(timing as ScheduleTiming);
      if (problem) ctx.addIssue({ code: 'custom', message: `${id}: ${problem}` });
    }
  });

const postgresUrl = z
  .string()
  .url('expected a URL such as postgres://user:password@host:5432/db')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'expected a postgres:// or postgresql:// URL');

const redisUrl = z
  .string()
  .url('expected a URL such as redis://127.0.0.1:6379')
  .refine((v) => /^rediss?:\/\//.test(v), 'expected a redis:// or rediss:// URL');

const PREFIX_PART = /^[A-Za-z0-9_-]*$/;

/**
 * Letters, digits, `_` and `-`, with at most one well-formed hash tag (`{switchboard}`,
 * `{sb}-queues`): on a Redis Cluster every key under the prefix then hashes to the tag's slot, as
 * BullMQ's multi-key scripts (and ours) need. Refused with the reason, never half-understood.
 */
export function queuePrefixProblem(prefix: string): string | null {
  if (prefix.length < 1 || prefix.length > 64) return 'must be 1 to 64 characters';
  const opens = [...prefix].filter((c) => c === '{').length;
  const closes = [...prefix].filter((c) => c === '}').length;
  if (opens === 0 && closes === 0) return PREFIX_PART.test(prefix) ? null : 'letters, digits, _ and - only, with at most one {hash-tag}';
  if (opens !== closes) return 'unbalanced braces: a hash tag is one {tag}, e.g. {switchboard}';
  if (/\{[^}]*\{/.test(prefix)) return 'nested braces: a hash tag is one {tag}, e.g. {switchboard}';
  if (opens > 1) return 'one hash tag only, e.g. {switchboard} or {sb}-queues';
  const match = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/.exec(prefix);
  if (!match) return 'unbalanced braces: a hash tag is one {tag}, e.g. {switchboard}';
  const [, before, tag, after] = match;
  if (tag.length === 0) return 'empty hash tag {}: Redis ignores it, so keys would spread over slots';
  if (![before, tag, after].every((part) => PREFIX_PART.test(part))) return 'letters, digits, _ and - only, with at most one {hash-tag}';
  return null;
}

/** The prefix's hash tag (`switchboard` for `{switchboard}`), or null. */
export function queuePrefixHashTag(prefix: string): string | null {
  return /\{([^{}]+)\}/.exec(prefix)?.[1] ?? null;
}

const queuePrefix = z.string().superRefine((v, ctx) => {
  const problem = queuePrefixProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** `host:port,host:port,…` (IPv6 as `[::1]:7000`): startup nodes of a Redis Cluster; the client finds the others. */
const redisClusterNodes = z.string().transform((v, ctx) => {
  const nodes: { host: string; port: number }[] = [];
  for (const entry of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[3]) : 0;
    if (!m || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: `"${entry.slice(0, 80)}" is not host:port (e.g. redis-1:6379,redis-2:6379)` });
      return z.NEVER;
    }
    nodes.push({ host: m[1] ?? m[2], port });
  }
  if (nodes.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'expected host:port entries separated by commas' });
    return z.NEVER;
  }
  return nodes;
});

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: postgresUrl.describe('PostgreSQL with pgvector; `npm start` provides the embedded one when unset'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  /** Longest a statement of the app may run (0: no limit); a runaway query cannot hold the database. */
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
  /** Longest the app's transaction may sit idle (a paused or hung process); it is then rolled back. 0: no limit. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(0, 3_600_000).default(10_000),
  REDIS_URL: redisUrl,
  /**
   * Startup nodes of a Redis Cluster: when set, every client is a `Redis.Cluster` over these nodes
   * (REDIS_URL then gives only the credentials and, with rediss://, TLS). QUEUE_PREFIX must carry a hash tag.
   */
  REDIS_CLUSTER_NODES: redisClusterNodes.optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  WORKER_PORT: port.default(3001),
  WORKER_QUEUES: queueList.default(['all']),
  /** Of every Redis key and channel; `{tag}` in it keeps them in one Redis Cluster hash slot. */
  QUEUE_PREFIX: queuePrefix.default('switchboard'),
  PLATFORM_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  /** When set, /metrics (api and worker) answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  ...tracingConfigSchema.shape,
  DATA_DIR: z.string().min(1).default('.data'),
  /** The sender of the product's own email (invitations, customer reminders). */
  MAIL_FROM: z.string().email('must be an email address').default('no-reply@switchboard.localhost'),
  BODY_LIMIT: byteSize.default(1024 * 1024),
  ATTACHMENT_MAX_BYTES: byteSize.default(25 * 1024 * 1024),
  /** Where tenants' files live: `local` (DATA_DIR/tenants/<tenant>/…, one machine) or `s3` (any S3-compatible object store, any number of machines). */
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  /** The S3 API's base URL for a store other than AWS (MinIO, Ceph, R2, …); unset: AWS's endpoint for the region. */
  STORAGE_S3_ENDPOINT: z.string().url('expected a URL such as https://s3.example.com').optional(),
  STORAGE_S3_REGION: z.string().min(1).default('us-east-1'),
  STORAGE_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name (3-63 lower-case letters, digits, . and -)').optional(),
  /** Static credentials; unset: the SDK's default chain (environment, shared files, instance or task role). */
  STORAGE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  STORAGE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `true` for stores that address buckets as /<bucket>/<key> rather than <bucket>.<host> (most self-hosted ones). */
  STORAGE_S3_FORCE_PATH_STYLE: bool.default(false),
  /** Prepended to every key (`<prefix>tenants/<tenant>/…`), so that deployments may share a bucket. */
  STORAGE_S3_KEY_PREFIX: z.string().regex(/^$|^([A-Za-z0-9_-][A-Za-z0-9._-]*\/)+$/, 'letters, digits, . _ - in segments, ending with /').default(''),
  /** Server-side encryption asked for on every upload: none, S3-managed keys (AES256) or KMS (aws:kms, with STORAGE_S3_SSE_KMS_KEY_ID or the bucket's default key). */
  STORAGE_S3_SSE: z.enum(['none', 'AES256', 'aws:kms']).default('none'),
  STORAGE_S3_SSE_KMS_KEY_ID: z.string().min(1).optional(),
  /** Bytes per part of a streaming multipart upload (at least 5mb, as S3 requires); smaller files go up in one request. */
  STORAGE_S3_PART_SIZE: byteSize.pipe(z.number().min(5 * 1024 * 1024, 'S3 parts are at least 5mb')).default(8 * 1024 * 1024),
  /** `when_required` for S3-compatible stores that reject the SDK's default trailing checksums on uploads. */
  STORAGE_S3_CHECKSUMS: z.enum(['when_supported', 'when_required']).default('when_supported'),
  /** Downloads answer 302 to a presigned URL of the store instead of passing the bytes through the api. */
  STORAGE_PRESIGNED_DOWNLOADS: bool.default(false),
  /** How long a presigned download URL is valid. */
  STORAGE_PRESIGNED_EXPIRY_SECONDS: int(5, 3600).default(60),
  /** Which proxies' X-Forwarded-For to believe (client IPs feed rate limits and the audit log). */
  TRUST_PROXY: z
    .string()
    .default('loopback, linklocal, uniquelocal')
    .transform((v): string | boolean => (v === 'false' ? false : v === 'true' ? true : v)),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  HTTP_LOG_REQUESTS: bool.default(true),
  SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /** After SIGTERM, how long the api keeps accepting (readiness already says no, answers close their connection) before it stops listening. */
  SHUTDOWN_DRAIN_MS: int(0, 60_000).default(1_000),
  IDEMPOTENCY_TTL_SECONDS: int(60, 7 * 24 * 3600).default(24 * 3600),
  /** Every tenant's ceiling; a plan (billing) may set a lower one. At least the highest plan's, so every plan gets what it sells. */
  RATE_LIMIT_TENANT_PER_MINUTE: int(1, 1_000_000).default(3000),
  RATE_LIMIT_API_KEY_PER_MINUTE: int(1, 1_000_000).default(700),
  RATE_LIMIT_IP_PER_MINUTE: int(1, 1_000_000).default(600),
  RATE_LIMIT_AUTH_PER_MINUTE: int(1, 1_000_000).default(30),
  /** How often each api process reports its tenant and API-key token buckets' spending to Redis and takes the shared level back. */
  RATE_LIMIT_SYNC_MS: int(10, 60_000).default(250),
  /** Units of tenant database work one process runs at once for one tenant; more wait their turn. No cap when ≥ DATABASE_POOL_SIZE. */
  DATABASE_TENANT_CONCURRENCY: int(1, 200).default(4),
  /** How long tenant work waits for its tenant's turn before it is refused (429 tenant-busy); as long as a wait for a pool connection may last. */
  DATABASE_TENANT_WAIT_MS: int(0, 60_000).default(10_000),
  OUTBOX_POLL_MS: int(10, 60_000).default(200),
  OUTBOX_BATCH_SIZE: int(1, 5000).default(500),
  OUTBOX_ACK_TIMEOUT_MS: int(100, 24 * 3600_000).default(60_000),
  OUTBOX_SWEEP_MS: int(100, 3600_000).default(10_000),
  /** How long a relay's claim on a batch lasts; a relay that dies or stalls longer leaves the batch to another. */
  OUTBOX_CLAIM_LEASE_MS: int(1_000, 3600_000).default(30_000),
  /**
   * Completed outbox events (and their consumers' receipts) older than this many days are deleted by
   * the nightly retention job; `GET /v1/events` replays at most this far back. At least 7: failed
   * jobs are kept that long and may be retried by hand, and a retried event must still find its receipts.
   */
  OUTBOX_RETENTION_DAYS: int(7, 3650).default(30),
  /** Re-times or switches off registered schedules in this deployment (see `scheduleOverrides`). */
  SCHEDULE_OVERRIDES: scheduleOverrides.default({}),
  /** Agent console sockets (`/agents`): largest client event, per-socket event budget, ticket rooms per socket. */
  /** `redis` fans console events out across api processes (and takes the worker's); `memory` is for one lone api process. */
  REALTIME_ADAPTER: z.enum(['redis', 'memory']).default('redis'),
  REALTIME_MAX_PAYLOAD_BYTES: byteSize.default(4 * 1024),
  REALTIME_EVENTS_PER_SECOND: int(1, 10_000).default(10),
  REALTIME_EVENT_BURST: int(1, 100_000).default(30),
  REALTIME_MAX_TICKET_ROOMS: int(1, 1000).default(20),
  /** Console handshakes per client IP and minute, over all api processes (each costs a credential check). */
  REALTIME_HANDSHAKES_PER_MINUTE: int(1, 1_000_000).default(120),
  /** Presence and viewing entries live this long in Redis unless their socket's process refreshes them. */
  REALTIME_PRESENCE_TTL_MS: int(1_000, 600_000).default(30_000),
  REALTIME_TYPING_TTL_MS: int(500, 60_000).default(6_000),
  /** How often a connected socket's credential is checked again (revoked keys, removed members). */
  REALTIME_REAUTH_INTERVAL_MS: int(1_000, 3600_000).default(60_000),
});

export type AppConfig = z.output<typeof configSchema>;

/** Platform's rules across variables (kept apart so that `configSchema` stays pickable). */
export function crossFieldProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.STORAGE_DRIVER === 's3' && !config.STORAGE_S3_BUCKET) problems.push('STORAGE_S3_BUCKET: required when STORAGE_DRIVER is s3');
  if (Boolean(config.STORAGE_S3_ACCESS_KEY_ID) !== Boolean(config.STORAGE_S3_SECRET_ACCESS_KEY)) problems.push('STORAGE_S3_ACCESS_KEY_ID and STORAGE_S3_SECRET_ACCESS_KEY: set both or neither');
  if (config.STORAGE_S3_SSE_KMS_KEY_ID && config.STORAGE_S3_SSE !== 'aws:kms') problems.push('STORAGE_S3_SSE_KMS_KEY_ID: only with STORAGE_S3_SSE=aws:kms');
  if (config.REDIS_CLUSTER_NODES && !queuePrefixHashTag(config.QUEUE_PREFIX)) {
    problems.push(`QUEUE_PREFIX: on a Redis Cluster (REDIS_CLUSTER_NODES) it needs a hash tag so that each queue's keys share a slot, e.g. {${config.QUEUE_PREFIX}}`);
  }
  if (config.STORAGE_PRESIGNED_DOWNLOADS && config.STORAGE_DRIVER !== 's3') problems.push('STORAGE_PRESIGNED_DOWNLOADS: only with STORAGE_DRIVER=s3 (local files are served by the api)');
  return problems;
}
