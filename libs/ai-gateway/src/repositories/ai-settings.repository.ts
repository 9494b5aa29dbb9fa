import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import { monthOf, type AiSettings, type AiSettingsValues, type MonthUsage, type StoredProvider } from '../settings/ai-settings';
import {
  deleteProviderStatement,
  monthUsageFromRows,
  monthUsageStatement,
  providersFromRows,
  providersStatement,
  settingsFromRows,
  settingsStatement,
  upsertProviderStatement,
  upsertSettingsStatement,
  type ProviderValues,
} from './ai-settings.sql';

const run = (tx: TenantTx, { sql, params }: Statement): Promise<Record<string, unknown>[]> => tx.manager.query(sql, params);

/**
 * The AI settings and provider connections of the transaction's tenant, for command and query
 * handlers (the call path batches the same statements itself: TenantAiState). SQL stays in
 * `ai-settings.sql.ts`; handlers' unit tests fake these methods.
 */
@Injectable()
export class AiSettingsRepository {
  /** The settings, or the defaults when the tenant never changed them. */
  async settings(tx: TenantTx): Promise<AiSettings> {
    return settingsFromRows(await run(tx, settingsStatement(tx.tenantId)));
  }

  /** Creates or replaces the settings; returns them as stored (new version and time). */
  async saveSettings(tx: TenantTx, next: AiSettingsValues): Promise<AiSettings> {
    await run(tx, upsertSettingsStatement(tx.tenantId, next));
    return this.settings(tx);
  }

  async providers(tx: TenantTx): Promise<StoredProvider[]> {
    return providersFromRows(await run(tx, providersStatement(tx.tenantId)));
  }

  async provider(tx: TenantTx, name: string): Promise<StoredProvider | undefined> {
    return providersFromRows(await run(tx, providersStatement(tx.tenantId, name)))[0];
  }

  /** Creates or replaces a connection; returns it as stored. */
  async saveProvider(tx: TenantTx, provider: ProviderValues): Promise<StoredProvider> {
    return providersFromRows(await run(tx, upsertProviderStatement(tx.tenantId, provider)))[0]!;
  }

  async deleteProvider(tx: TenantTx, name: string): Promise<void> {
    await run(tx, deleteProviderStatement(tx.tenantId, name));
  }

  /** Tokens and cost used in the current calendar month (UTC). */
  async monthToDate(tx: TenantTx): Promise<MonthUsage> {
    const month = monthOf(new Date());
    return monthUsageFromRows(await run(tx, monthUsageStatement(tx.tenantId, month)), month);
  }
}
