import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';

/** The contexts that take part in an erasure; the erasure completes when every one has reported. */
export const ERASURE_STEPS = ['customers', 'tickets', 'field_service', 'knowledge_base', 'platform'] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];
export type ErasureCounts = Record<string, number>;
export const ERASED_CONTACT_NAME = 'Erased contact';

export interface ErasureView {
  id: string;
  contactId: string;
  status: 'in_progress' | 'completed';
  requestedBy: string | null;
  requestedAt: string;
  completedAt: string | null;
  /** Per context: when it finished and how many rows of each kind it removed or rewrote. */
  steps: Partial<Record<ErasureStep, { completedAt: string; counts: ErasureCounts }>>;
}

interface ErasureRow {
  id: string;
  contact_id: string;
  status: ErasureView['status'];
  requested_by: string | null;
  requested_at: Date;
  completed_at: Date | null;
  steps: ErasureView['steps'];
  pattern: string | null;
}

const COLUMNS = 'id, contact_id, status, requested_by, requested_at, completed_at, steps, pattern';
const toView = (r: ErasureRow): ErasureView => ({
  id: r.id,
  contactId: r.contact_id,
  status: r.status,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
  steps: r.steps,
});

/** What an erasure holds of the person (emails, phones, chat ids, name) while it runs, and what it removed. */
export interface ContactErasureSubject {
  name: string;
  emails: string[];
  phones: string[];
  others: string[];
  deletedAt: string | null;
}

/** Erasure statements of the customers context (ADR 0031): its own rows, and the erasure record. */
@Injectable()
export class ContactErasuresRepository {
  /** The contact (live or soft-deleted, not yet erased) with every identifier it holds or held, locked. */
  async subjectForUpdate(tx: TenantTx, contactId: string): Promise<ContactErasureSubject | undefined> {
    const rows: { name: string; deleted_at: Date | null; deleted_identities: unknown; identities: { kind: string; value: string }[] | null }[] = await tx.manager.query(
      `SELECT c.name, c.deleted_at, c.deleted_identities,
              (SELECT jsonb_agg(jsonb_build_object('kind', i.kind, 'value', i.value)) FROM contact_identities i WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id) AS identities
         FROM contacts c WHERE c.tenant_id = $1 AND c.id = $2 FOR UPDATE`,
      [tx.tenantId, contactId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const released = (row.deleted_identities ?? {}) as { emails?: string[]; phones?: string[]; channelIdentities?: { externalId: string }[] };
    const identities = row.identities ?? [];
    return {
      name: row.name,
      deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null,
      emails: [...identities.filter((i) => i.kind === 'email').map((i) => i.value), ...(released.emails ?? [])],
      phones: [...identities.filter((i) => i.kind === 'phone').map((i) => i.value), ...(released.phones ?? [])],
      others: [...identities.filter((i) => i.kind !== 'email' && i.kind !== 'phone').map((i) => i.value), ...(released.channelIdentities ?? []).map((c) => c.externalId)],
    };
  }

  /** Removes the contact's identities, addresses and attributes and anonymises the row (kept: tickets and jobs point at it). */
  async eraseOwnRows(tx: TenantTx, contactId: string): Promise<ErasureCounts> {
    const count = async (sql: string) => ((await tx.manager.query(sql, [tx.tenantId, contactId])) as unknown[]).length;
    const identities = await count(`WITH changed AS (DELETE FROM contact_identities WHERE tenant_id = $1 AND contact_id = $2 RETURNING 1) SELECT 1 FROM changed`);
    const addresses = await count(`WITH changed AS (DELETE FROM contact_addresses WHERE tenant_id = $1 AND contact_id = $2 RETURNING 1) SELECT 1 FROM changed`);
    const attributes = await count(`WITH changed AS (DELETE FROM contact_attributes WHERE tenant_id = $1 AND contact_id = $2 RETURNING 1) SELECT 1 FROM changed`);
    await tx.manager.query(
      `UPDATE contacts SET name = '${ERASED_CONTACT_NAME}', organization_id = NULL, locale = NULL, timezone = NULL, notes = NULL, deleted_identities = NULL,
              deleted_at = COALESCE(deleted_at, now()), updated_at = now(), version = version + 1
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, contactId],
    );
    return { contacts: 1, identities, addresses, attributes };
  }

  async insert(tx: TenantTx, erasure: { id: string; contactId: string; requestedBy: string | null; pattern: string | null; steps: ErasureView['steps'] }): Promise<ErasureView> {
    const rows: ErasureRow[] = await tx.manager.query(
      `INSERT INTO contact_erasures (tenant_id, id, contact_id, requested_by, pattern, steps) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING ${COLUMNS}`,
      [tx.tenantId, erasure.id, erasure.contactId, erasure.requestedBy, erasure.pattern, JSON.stringify(erasure.steps)],
    );
    return toView(rows[0]);
  }

  async find(tx: TenantTx, erasureId: string, lock = false): Promise<(ErasureView & { pattern: string | null }) | undefined> {
    const rows: ErasureRow[] = await tx.manager.query(`SELECT ${COLUMNS} FROM contact_erasures WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tx.tenantId, erasureId]);
    return rows[0] && { ...toView(rows[0]), pattern: rows[0].pattern };
  }

  async latestOfContact(tx: TenantTx, contactId: string): Promise<ErasureView | undefined> {
    const rows: ErasureRow[] = await tx.manager.query(
      `SELECT ${COLUMNS} FROM contact_erasures WHERE tenant_id = $1 AND contact_id = $2 ORDER BY requested_at DESC LIMIT 1`,
      [tx.tenantId, contactId],
    );
    return rows[0] && toView(rows[0]);
  }

  async recordStep(tx: TenantTx, erasureId: string, step: ErasureStep, counts: ErasureCounts): Promise<void> {
    await tx.manager.query(
      `UPDATE contact_erasures SET steps = steps || jsonb_build_object($3::text, jsonb_build_object('completedAt', now(), 'counts', $4::jsonb)) WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, erasureId, step, JSON.stringify(counts)],
    );
  }

  /** Done: the pattern (which is itself personal data) is dropped. */
  async complete(tx: TenantTx, erasureId: string): Promise<void> {
    await tx.manager.query(`UPDATE contact_erasures SET status = 'completed', completed_at = now(), pattern = NULL WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, erasureId]);
  }
}
