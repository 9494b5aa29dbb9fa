import type { EntityManager } from 'typeorm';
import { AI_FEATURES, type AiFeature, type ProviderKind } from '../chat/chat.port';
import type { RedactionSettings } from '../gateway/redaction';

export interface FeatureRoute {
  provider?: string;
  model?: string;
}

export interface AiBudget {
  /** Tokens (prompt + completion) per calendar month (UTC). */
  monthlyTokens?: number | null;
  /** Cost per calendar month in US cents. */
  monthlyCostCents?: number | null;
  /** Percentage of a budget at which answers carry a warning. */
  softLimitPercent?: number;
}

export interface AiSettings {
  defaultProvider: string;
  defaultModel: string | null;
  features: Partial<Record<AiFeature, FeatureRoute>>;
  fallback: string[];
  allowedModels: string[];
  budget: AiBudget;
  /** Personal data replaced by placeholders before text leaves for a non-local provider. */
  redaction: RedactionSettings;
  version: number;
  updatedAt: string | null;
}

export interface StoredProvider {
  name: string;
  kind: Exclude<ProviderKind, 'local'>;
  baseUrl: string | null;
  defaultModel: string | null;
  keyId: string | null;
  secret: Buffer | null;
  secretHint: string | null;
  updatedAt: string;
}

export const DEFAULT_SETTINGS: AiSettings = { defaultProvider: 'local', defaultModel: null, features: {}, fallback: [], allowedModels: [], budget: {}, redaction: {}, version: 0, updatedAt: null };

export const FEATURES = AI_FEATURES;

interface SettingsRow {
  default_provider: string;
  default_model: string | null;
  features: AiSettings['features'];
  fallback: string[];
  allowed_models: string[];
  budget: AiBudget;
  redaction: RedactionSettings | null;
  version: number;
  updated_at: Date;
}

export async function loadSettings(m: EntityManager, tenantId: string): Promise<AiSettings> {
  const rows: SettingsRow[] = await m.query(`SELECT * FROM ai_settings WHERE tenant_id = $1`, [tenantId]);
  const r = rows[0];
  if (!r) return DEFAULT_SETTINGS;
  return {
    defaultProvider: r.default_provider,
    defaultModel: r.default_model,
    features: r.features,
    fallback: r.fallback,
    allowedModels: r.allowed_models,
    budget: r.budget,
    redaction: r.redaction ?? {},
    version: r.version,
    updatedAt: r.updated_at.toISOString(),
  };
}

export async function loadProviders(m: EntityManager, tenantId: string): Promise<StoredProvider[]> {
  const rows: { name: string; kind: StoredProvider['kind']; base_url: string | null; default_model: string | null; key_id: string | null; secret: Buffer | null; secret_hint: string | null; updated_at: Date }[] =
    await m.query(`SELECT name, kind, base_url, default_model, key_id, secret, secret_hint, updated_at FROM ai_provider_credentials WHERE tenant_id = $1 ORDER BY name`, [tenantId]);
  return rows.map((r) => ({ name: r.name, kind: r.kind, baseUrl: r.base_url, defaultModel: r.default_model, keyId: r.key_id, secret: r.secret, secretHint: r.secret_hint, updatedAt: r.updated_at.toISOString() }));
}

/** What routes show of a provider: never the secret, only a hint. */
export function providerView(p: StoredProvider) {
  return { name: p.name, kind: p.kind, baseUrl: p.baseUrl, defaultModel: p.defaultModel, hasSecret: p.secret !== null, secretHint: p.secretHint, updatedAt: p.updatedAt };
}
export type ProviderView = ReturnType<typeof providerView>;

/** Tokens and cost used by the tenant in the current calendar month (UTC). */
export async function monthToDate(m: EntityManager, tenantId: string): Promise<{ tokens: number; costMicros: number }> {
  const [row]: { tokens: string; cost: string }[] = await m.query(
    `SELECT COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS tokens, COALESCE(SUM(cost_micros), 0) AS cost
       FROM ai_usage WHERE tenant_id = $1 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [tenantId],
  );
  return { tokens: Number(row!.tokens), costMicros: Number(row!.cost) };
}
