import type { Statement } from '@switchboard/platform';
import type { RedactionSettings } from '../gateway/redaction';
import { DEFAULT_SETTINGS, type AiBudget, type AiSettings, type AiSettingsValues, type MonthUsage, type StoredProvider } from '../settings/ai-settings';

/**
 * The tenant's AI settings, provider connections and monthly usage rollup: statements (so that
 * the call path can send several in one batch, ADR 0011) and their row mappings.
 */
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

interface ProviderRow {
  name: string;
  kind: StoredProvider['kind'];
  base_url: string | null;
  default_model: string | null;
  key_id: string | null;
  secret: Buffer | null;
  secret_hint: string | null;
  updated_at: Date;
}

type Row = Record<string, unknown>;

/** The settings row of a tenant. */
export const settingsStatement = (tenantId: string): Statement => ({ sql: `SELECT * FROM ai_settings WHERE tenant_id = $1`, params: [tenantId] });

export function settingsFromRows(rows: Row[]): AiSettings {
  const r = rows[0] as unknown as SettingsRow | undefined;
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

/** Creates or replaces the tenant's settings; the version counts every change. */
export const upsertSettingsStatement = (tenantId: string, next: AiSettingsValues): Statement => ({
  sql: `INSERT INTO ai_settings (tenant_id, default_provider, default_model, features, fallback, allowed_models, budget, redaction)
        VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb)
        ON CONFLICT (tenant_id) DO UPDATE SET default_provider = $2, default_model = $3, features = $4::jsonb, fallback = $5, allowed_models = $6, budget = $7::jsonb, redaction = $8::jsonb,
          updated_at = now(), version = ai_settings.version + 1`,
  params: [tenantId, next.defaultProvider, next.defaultModel, JSON.stringify(next.features), next.fallback, next.allowedModels, JSON.stringify(next.budget), JSON.stringify(next.redaction)],
});

const PROVIDER_COLUMNS = 'name, kind, base_url, default_model, key_id, secret, secret_hint, updated_at';

/** The tenant's provider connections (one, when named), by name. */
export const providersStatement = (tenantId: string, name?: string): Statement =>
  name === undefined
    ? { sql: `SELECT ${PROVIDER_COLUMNS} FROM ai_provider_credentials WHERE tenant_id = $1 ORDER BY name`, params: [tenantId] }
    : { sql: `SELECT ${PROVIDER_COLUMNS} FROM ai_provider_credentials WHERE tenant_id = $1 AND name = $2`, params: [tenantId, name] };

export function providersFromRows(rows: Row[]): StoredProvider[] {
  return (rows as unknown as ProviderRow[]).map((r) => ({
    name: r.name,
    kind: r.kind,
    baseUrl: r.base_url,
    defaultModel: r.default_model,
    keyId: r.key_id,
    secret: r.secret,
    secretHint: r.secret_hint,
    updatedAt: r.updated_at.toISOString(),
  }));
}

/** What a provider change writes; the time is the database's. */
export type ProviderValues = Omit<StoredProvider, 'updatedAt'>;

export const upsertProviderStatement = (tenantId: string, p: ProviderValues): Statement => ({
  sql: `INSERT INTO ai_provider_credentials (tenant_id, name, kind, base_url, default_model, key_id, secret, secret_hint)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (tenant_id, name) DO UPDATE SET kind = $3, base_url = $4, default_model = $5, key_id = $6, secret = $7, secret_hint = $8, updated_at = clock_timestamp()
        RETURNING ${PROVIDER_COLUMNS}`,
  params: [tenantId, p.name, p.kind, p.baseUrl, p.defaultModel, p.keyId, p.secret, p.secretHint],
});

export const deleteProviderStatement = (tenantId: string, name: string): Statement => ({ sql: `DELETE FROM ai_provider_credentials WHERE tenant_id = $1 AND name = $2`, params: [tenantId, name] });

/** The tenant's rollup row for a month (`YYYY-MM`): one primary-key read instead of a SUM over the ledger. */
export const monthUsageStatement = (tenantId: string, month: string): Statement => ({
  sql: `SELECT calls, tokens, cost_micros FROM ai_usage_months WHERE tenant_id = $1 AND month = $2::date`,
  params: [tenantId, `${month}-01`],
});

export function monthUsageFromRows(rows: Row[], month: string): MonthUsage {
  const r = rows[0] as { calls: string; tokens: string; cost_micros: string } | undefined;
  return { month, calls: Number(r?.calls ?? 0), tokens: Number(r?.tokens ?? 0), costMicros: Number(r?.cost_micros ?? 0) };
}
