import { z } from 'zod';

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

const postgresUrl = z
  .string()
  .url('expected a URL such as postgres://user:password@host:5432/db')
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'expected a postgres:// or postgresql:// URL');

const redisUrl = z
  .string()
  .url('expected a URL such as redis://127.0.0.1:6379')
  .refine((v) => /^rediss?:\/\//.test(v), 'expected a redis:// or rediss:// URL');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: postgresUrl.describe('PostgreSQL with pgvector; `npm start` provides the embedded one when unset'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  REDIS_URL: redisUrl,
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  WORKER_PORT: port.default(3001),
  WORKER_QUEUES: queueList.default(['all']),
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and - only').default('switchboard'),
  PLATFORM_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  DATA_DIR: z.string().min(1).default('.data'),
  BODY_LIMIT: byteSize.default(1024 * 1024),
  ATTACHMENT_MAX_BYTES: byteSize.default(25 * 1024 * 1024),
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
  IDEMPOTENCY_TTL_SECONDS: int(60, 7 * 24 * 3600).default(24 * 3600),
  RATE_LIMIT_TENANT_PER_MINUTE: int(1, 1_000_000).default(700),
  RATE_LIMIT_API_KEY_PER_MINUTE: int(1, 1_000_000).default(700),
  RATE_LIMIT_IP_PER_MINUTE: int(1, 1_000_000).default(600),
  RATE_LIMIT_AUTH_PER_MINUTE: int(1, 1_000_000).default(30),
  OUTBOX_POLL_MS: int(10, 60_000).default(200),
  OUTBOX_BATCH_SIZE: int(1, 5000).default(500),
  OUTBOX_ACK_TIMEOUT_MS: int(100, 24 * 3600_000).default(60_000),
  OUTBOX_SWEEP_MS: int(100, 3600_000).default(10_000),
  /** Agent console sockets (`/agents`): largest client event, per-socket event budget, ticket rooms per socket. */
  /** `redis` fans console events out across api processes (and takes the worker's); `memory` is for one lone api process. */
  REALTIME_ADAPTER: z.enum(['redis', 'memory']).default('redis'),
  REALTIME_MAX_PAYLOAD_BYTES: byteSize.default(4 * 1024),
  REALTIME_EVENTS_PER_SECOND: int(1, 10_000).default(10),
  REALTIME_EVENT_BURST: int(1, 100_000).default(30),
  REALTIME_MAX_TICKET_ROOMS: int(1, 1000).default(20),
  /** Presence and viewing entries live this long in Redis unless their socket's process refreshes them. */
  REALTIME_PRESENCE_TTL_MS: int(1_000, 600_000).default(30_000),
  REALTIME_TYPING_TTL_MS: int(500, 60_000).default(6_000),
  /** How often a connected socket's credential is checked again (revoked keys, removed members). */
  REALTIME_REAUTH_INTERVAL_MS: int(1_000, 3600_000).default(60_000),
  /** Embeddings (libs/ai-gateway): `local` is offline; `local-lexical` drops its word vectors. */
  EMBEDDINGS_PROVIDER: z.enum(['local', 'local-lexical', 'openai']).default('local'),
  /** Where the local embedder keeps its prepared word-vector file; `<DATA_DIR>/models` when unset. */
  EMBEDDINGS_CACHE_DIR: z.string().min(1).optional(),
  EMBEDDINGS_BASE_URL: z.string().url('expected a URL such as https://api.openai.com/v1').refine((v) => /^https?:\/\//.test(v), 'expected an http(s) URL').optional(),
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  EMBEDDINGS_MODEL: z.string().min(1).max(200).default('text-embedding-3-small'),
  EMBEDDINGS_DIMENSIONS: int(1, 16_000).default(384),
  EMBEDDINGS_REQUEST_DIMENSIONS: bool.default(true),
  EMBEDDINGS_BATCH_SIZE: int(1, 2048).default(64),
  EMBEDDINGS_TIMEOUT_MS: int(100, 600_000).default(30_000),
  EMBEDDINGS_MAX_RETRIES: int(0, 10).default(3),
  /** AI gateway (chat): `kid:base64key` pairs (32-byte AES-256-GCM keys), comma-separated; the first encrypts, all decrypt. Unset: a key generated into platform_secrets. */
  AI_ENCRYPTION_KEYS: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$/, 'expected kid:base64key')
          .refine((v) => Buffer.from(v.split(':')[1]!, 'base64').length === 32, 'each key must be 32 bytes (base64 of 32 random bytes)'),
      ),
    )
    .optional(),
  /** Prices in USD per million tokens, JSON `{ "model": { "input": 0.15, "output": 0.6 } }`, merged over the built-in table. */
  AI_PRICES: z
    .string()
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected JSON such as {"gpt-4o-mini":{"input":0.15,"output":0.6}}' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().min(1).max(200), z.object({ input: z.number().min(0).max(10_000), output: z.number().min(0).max(10_000) }).strict()))
    .optional(),
  /** Per-attempt timeout of a provider call. */
  AI_TIMEOUT_MS: int(100, 600_000).default(60_000),
  /** Attempts per provider (first try included) on 429/5xx/timeouts; Retry-After is honoured up to AI_RETRY_MAX_DELAY_MS. */
  AI_MAX_ATTEMPTS: int(1, 10).default(3),
  AI_RETRY_BASE_DELAY_MS: int(1, 60_000).default(250),
  AI_RETRY_MAX_DELAY_MS: int(1, 300_000).default(20_000),
  /** Consecutive failures that open a provider's circuit breaker, and how long it stays open. */
  AI_BREAKER_FAILURES: int(1, 1000).default(5),
  AI_BREAKER_HALF_OPEN_MS: int(100, 3600_000).default(30_000),
  /** Whether tenants may point providers at loopback/private addresses (Ollama, vLLM on the same host). */
  AI_ALLOW_PRIVATE_BASE_URLS: bool.default(false),
  /** Largest prompt (tokens, counted before sending) the gateway forwards. */
  AI_MAX_PROMPT_TOKENS: int(16, 2_000_000).default(32_000),
  /** Tokens of a ticket's conversation that go into a summary, draft or triage prompt (newest messages kept first). */
  AI_ASSIST_CONVERSATION_TOKENS: int(200, 200_000).default(6_000),
  /**
   * How long a process may keep a tenant's AI settings and providers without reading them again.
   * Every change publishes an invalidation that every process applies before the change answers
   * (ADR 0013); this only bounds staleness should that publish fail. 0: no cache.
   */
  AI_SETTINGS_CACHE_TTL_MS: int(0, 3_600_000).default(60_000),
  /**
   * AI usage rows are written after the call answers, batched: rows that ended within this many
   * ms go in one transaction per tenant. A process killed outright loses at most this window's
   * rows (the budget counter has counted them). 0: each row right after its answer.
   */
  AI_USAGE_FLUSH_MS: int(0, 10_000).default(200),
  /** Anonymous help-center requests per IP and minute. */
  RATE_LIMIT_HELP_CENTER_PER_MINUTE: int(1, 1_000_000).default(300),
  /** Anonymous help-center AI answers per IP and minute (each may be a paid model call). */
  RATE_LIMIT_HELP_CENTER_ANSWER_PER_MINUTE: int(1, 1_000_000).default(10),
});

export type AppConfig = z.output<typeof configSchema>;

/** Rules across variables (kept apart so that `configSchema` stays pickable). */
export function crossFieldProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.EMBEDDINGS_PROVIDER === 'openai' && !config.EMBEDDINGS_BASE_URL) {
    problems.push('EMBEDDINGS_BASE_URL: is required when EMBEDDINGS_PROVIDER=openai (e.g. https://api.openai.com/v1)');
  }
  return problems;
}
