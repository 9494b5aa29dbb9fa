import type { Statement } from '@switchboard/platform';

/** A tenant's weekly digest switch and its weeks' receipts. DigestsRepository runs these. */
export interface DigestSettingsView {
  weeklyEnabled: boolean;
  /** The last week a digest went out for (its Monday), null before the first. */
  lastWeekSent: string | null;
}

export const digestsSql = {
  /** No settings row: the digest is on. */
  settings: (tenantId: string): Statement => ({
    sql: `SELECT COALESCE((SELECT weekly_enabled FROM reporting_digest_settings WHERE tenant_id = $1), true) AS weekly_enabled,
                 (SELECT to_char(max(week_start), 'YYYY-MM-DD') FROM reporting_digests WHERE tenant_id = $1 AND sent_at IS NOT NULL) AS last_week_sent`,
    params: [tenantId],
  }),
  setEnabled: (tenantId: string, enabled: boolean): Statement => ({
    sql: `INSERT INTO reporting_digest_settings (tenant_id, weekly_enabled) VALUES ($1, $2)
          ON CONFLICT (tenant_id) DO UPDATE SET weekly_enabled = EXCLUDED.weekly_enabled, updated_at = now()`,
    params: [tenantId, enabled],
  }),
  /** Claims the week: a row back means this run sends it; none, that one already did (or is). */
  claim: (tenantId: string, weekStart: string): Statement => ({
    sql: `INSERT INTO reporting_digests (tenant_id, week_start) VALUES ($1, $2::date) ON CONFLICT (tenant_id, week_start) DO NOTHING RETURNING week_start`,
    params: [tenantId, weekStart],
  }),
  sent: (tenantId: string, weekStart: string, recipients: number): Statement => ({
    sql: `UPDATE reporting_digests SET sent_at = now(), recipients = $3 WHERE tenant_id = $1 AND week_start = $2::date`,
    params: [tenantId, weekStart, recipients],
  }),
  /** A claim whose mail never went out (nothing to read, or the send failed): the week may be tried again. */
  release: (tenantId: string, weekStart: string): Statement => ({
    sql: `DELETE FROM reporting_digests WHERE tenant_id = $1 AND week_start = $2::date AND sent_at IS NULL`,
    params: [tenantId, weekStart],
  }),
};
