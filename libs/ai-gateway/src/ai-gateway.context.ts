import { defineConfig, defineContext, defineEvent, type ConfigOf } from '@switchboard/platform';
import { z } from 'zod';
import { AiSpendStats } from './repositories/operator-stats.sql';
import type { TemplateRef, TemplateSource } from './templates/template-versions';

export const AiSettingsUpdated = defineEvent<{ version: number }>()('ai.settings_updated', { aggregate: 'ai_settings' });
type TemplateChange = { feature: string; version: number; source: TemplateSource };
export const AiTemplateSaved = defineEvent<TemplateChange>()('ai.template_saved', { aggregate: 'ai_prompt_template' });
export const AiTemplateReset = defineEvent<TemplateChange>()('ai.template_reset', { aggregate: 'ai_prompt_template' });
/** One model call, metered (billing's usage meter reads these). */
export const AiUsageRecorded = defineEvent<{
  /** The feature's name. */
  feature: string;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  outcome: 'success' | 'error' | 'aborted' | 'invalid_output';
  latencyMs: number;
  attempts: number;
  template: TemplateRef | null;
}>()('ai.usage_recorded', { aggregate: 'ai_usage' });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const aiGatewayConfig = defineConfig(
  'ai-gateway',
  {
    /** Embeddings: `local` is offline; `local-lexical` drops its word vectors. */
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
    /** Chat: `kid:base64key` pairs (32-byte AES-256-GCM keys), comma-separated; the first encrypts, all decrypt. Unset: a key generated into platform_secrets. */
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
  },
  (config) =>
    config.EMBEDDINGS_PROVIDER === 'openai' && !config.EMBEDDINGS_BASE_URL
      ? ['EMBEDDINGS_BASE_URL: is required when EMBEDDINGS_PROVIDER=openai (e.g. https://api.openai.com/v1)']
      : [],
);
export type AiGatewayConfig = ConfigOf<typeof aiGatewayConfig>;

/** LLM providers, routing, metering and budgets, prompt templates, embeddings. */
export const aiGatewayContext = defineContext({
  name: 'ai-gateway',
  events: [AiSettingsUpdated, AiTemplateSaved, AiTemplateReset, AiUsageRecorded],
  config: aiGatewayConfig,
  operatorStats: [AiSpendStats],
});
