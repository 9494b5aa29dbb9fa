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

type Row = Record<string, unknown>;

/** The settings row of a tenant: one statement, so it can travel in a batch with others. */
export const settingsStatement = (tenantId: string) => ({ sql: `SELECT * FROM ai_settings WHERE tenant_id = $1`, params: [tenantId] });

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

export async function loadSettings(m: EntityManager, tenantId: string): Promise<AiSettings> {
  const { sql, params } = settingsStatement(tenantId);
  return settingsFromRows(await m.query(sql, params));
}

export const providersStatement = (tenantId: string) => ({
  sql: `SELECT name, kind, base_url, default_model, key_id, secret, secret_hint, updated_at FROM ai_provider_credentials WHERE tenant_id = $1 ORDER BY name`,
  params: [tenantId],
});

export function providersFromRows(rows: Row[]): StoredProvider[] {
  return (rows as { name: string; kind: StoredProvider['kind']; base_url: string | null; default_model: string | null; key_id: string | null; secret: Buffer | null; secret_hint: string | null; updated_at: Date }[]).map((r) => ({
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

export async function loadProviders(m: EntityManager, tenantId: string): Promise<StoredProvider[]> {
  const { sql, params } = providersStatement(tenantId);
  return providersFromRows(await m.query(sql, params));
}

/** What routes show of a provider: never the secret, only a hint. */
export function providerView(p: StoredProvider) {
  return { name: p.name, kind: p.kind, baseUrl: p.baseUrl, defaultModel: p.defaultModel, hasSecret: p.secret !== null, secretHint: p.secretHint, updatedAt: p.updatedAt };
}
export type ProviderView = ReturnType<typeof providerView>;

/** Tokens and cost used in one calendar month (UTC); `calls` only grows within the month. */
export interface MonthUsage {
  /** `YYYY-MM` */
  month: string;
  calls: number;
  tokens: number;
  costMicros: number;
}

/** The calendar month (UTC) of a moment, as `YYYY-MM`. */
export const monthOf = (at: Date) => at.toISOString().slice(0, 7);

/** The tenant's rollup row for a month (`YYYY-MM`): one primary-key read instead of a SUM over the ledger. */
export const monthUsageStatement = (tenantId: string, month: string) => ({
  sql: `SELECT calls, tokens, cost_micros FROM ai_usage_months WHERE tenant_id = $1 AND month = $2::date`,
  params: [tenantId, `${month}-01`],
});

export function monthUsageFromRows(rows: Row[], month: string): MonthUsage {
  const r = rows[0] as { calls: string; tokens: string; cost_micros: string } | undefined;
  return { month, calls: Number(r?.calls ?? 0), tokens: Number(r?.tokens ?? 0), costMicros: Number(r?.cost_micros ?? 0) };
}

/** Tokens and cost used by the tenant in the current calendar month (UTC). */
export async function monthToDate(m: EntityManager, tenantId: string): Promise<MonthUsage> {
  const month = monthOf(new Date());
  const { sql, params } = monthUsageStatement(tenantId, month);
  return monthUsageFromRows(await m.query(sql, params), month);
}
