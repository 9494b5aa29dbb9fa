import type { ProviderKind } from '../chat/chat.port';
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
  /** Set when a limit comes from the tenant's plan (its display name), not from these settings. */
  planLimits?: { monthlyTokens?: string; monthlyCostCents?: string };
}

export interface AiSettings {
  defaultProvider: string;
  defaultModel: string | null;
  /** Routes by feature name (the registered features'; see AiFeatureRegistry). */
  features: Partial<Record<string, FeatureRoute>>;
  fallback: string[];
  allowedModels: string[];
  budget: AiBudget;
  /** Personal data replaced by placeholders before text leaves for a non-local provider. */
  redaction: RedactionSettings;
  version: number;
  updatedAt: string | null;
}

/** What a settings change writes; the version and time are the database's. */
export type AiSettingsValues = Omit<AiSettings, 'version' | 'updatedAt'>;

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
