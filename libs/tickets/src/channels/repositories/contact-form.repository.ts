import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { rowsOf } from './channels.repository';

/** An extra field a tenant asks for on its contact form. */
export interface ContactFormField {
  key: string;
  label: string;
  required: boolean;
  maxLength: number;
}

export interface ContactFormSettingsView {
  enabled: boolean;
  fields: ContactFormField[];
  perIpPerHour: number;
  minFillSeconds: number;
  updatedAt: string | null;
  version: number;
}

export const DEFAULT_CONTACT_FORM: ContactFormSettingsView = { enabled: true, fields: [], perIpPerHour: 5, minFillSeconds: 3, updatedAt: null, version: 0 };

const toView = (r: Record<string, any>): ContactFormSettingsView => ({
  enabled: r.enabled,
  fields: r.fields,
  perIpPerHour: Number(r.per_ip_per_hour),
  minFillSeconds: Number(r.min_fill_seconds),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: Number(r.version),
});

/** The contact form's settings and its submissions; every method runs in the caller's transaction. */
@Injectable()
export class ContactFormRepository {
  async settings(tx: TenantTx, lock = false): Promise<ContactFormSettingsView> {
    const rows = rowsOf<Record<string, any>[]>(await tx.manager.query(`SELECT * FROM contact_form_settings WHERE tenant_id = $1${lock ? ' FOR UPDATE' : ''}`, [tx.tenantId]));
    return rows[0] ? toView(rows[0]) : DEFAULT_CONTACT_FORM;
  }

  async saveSettings(tx: TenantTx, s: Omit<ContactFormSettingsView, 'updatedAt' | 'version'>): Promise<ContactFormSettingsView> {
    const rows = rowsOf<Record<string, any>[]>(
      await tx.manager.query(
        `INSERT INTO contact_form_settings AS s (tenant_id, enabled, fields, per_ip_per_hour, min_fill_seconds) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id) DO UPDATE SET enabled = EXCLUDED.enabled, fields = EXCLUDED.fields, per_ip_per_hour = EXCLUDED.per_ip_per_hour,
           min_fill_seconds = EXCLUDED.min_fill_seconds, updated_at = now(), version = s.version + 1
         RETURNING *`,
        [tx.tenantId, s.enabled, JSON.stringify(s.fields), s.perIpPerHour, s.minFillSeconds],
      ),
    );
    return toView(rows[0]!);
  }

  /**
   * Submissions from one address in the last hour, counted under a lock on (tenant, address) held
   * to the end of the transaction, so two submissions at once cannot both take the last place.
   */
  async lockAndCountRecent(tx: TenantTx, ipHash: string): Promise<number> {
    await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`contact-form:${tx.tenantId}:${ipHash}`]);
    const rows = rowsOf<{ n: number }[]>(await tx.manager.query(`SELECT count(*)::int AS n FROM contact_form_submissions WHERE tenant_id = $1 AND ip_hash = $2 AND created_at > now() - interval '1 hour'`, [tx.tenantId, ipHash]));
    return rows[0]!.n;
  }

  async recordSubmission(tx: TenantTx, s: { ipHash: string; outcome: 'ticket' | 'spam'; ticketId: string | null }): Promise<void> {
    await tx.manager.query(`INSERT INTO contact_form_submissions (tenant_id, ip_hash, outcome, ticket_id) VALUES ($1, $2, $3, $4)`, [tx.tenantId, s.ipHash, s.outcome, s.ticketId]);
  }

  /** The tenant's first active email channel: where a confirmation mail leaves from. */
  async emailChannel(tx: TenantTx): Promise<{ id: string } | undefined> {
    const rows = rowsOf<{ id: string }[]>(await tx.manager.query(`SELECT id FROM channels WHERE tenant_id = $1 AND kind = 'email' AND status = 'active' ORDER BY created_at, id LIMIT 1`, [tx.tenantId]));
    return rows[0];
  }
}
