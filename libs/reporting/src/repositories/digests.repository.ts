import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { digestsSql, type DigestSettingsView } from './digests.sql';
import { run } from './metrics.repository';

/** The weekly digest's switch and receipts (SQL in `digests.sql.ts`). */
@Injectable()
export class DigestsRepository {
  async settings(tx: TenantTx): Promise<DigestSettingsView> {
    const [row] = await run<{ weekly_enabled: boolean; last_week_sent: string | null }>(tx, digestsSql.settings(tx.tenantId));
    return { weeklyEnabled: row!.weekly_enabled, lastWeekSent: row!.last_week_sent };
  }

  async setEnabled(tx: TenantTx, enabled: boolean): Promise<void> {
    await run(tx, digestsSql.setEnabled(tx.tenantId, enabled));
  }

  async claim(tx: TenantTx, weekStart: string): Promise<boolean> {
    return (await run(tx, digestsSql.claim(tx.tenantId, weekStart))).length === 1;
  }

  async sent(tx: TenantTx, weekStart: string, recipients: number): Promise<void> {
    await run(tx, digestsSql.sent(tx.tenantId, weekStart, recipients));
  }

  async release(tx: TenantTx, weekStart: string): Promise<void> {
    await run(tx, digestsSql.release(tx.tenantId, weekStart));
  }
}
