import { decodeCursor } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { normalisePhone, splitIdentities, type Identity } from '../domain/identities';
import type { ContactFilter } from '../queries/list-contacts/list-contacts.query';

export interface ContactRow {
  id: string;
  name: string;
  organization_id: string | null;
  locale: string | null;
  timezone: string | null;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface ContactView {
  id: string;
  name: string;
  emails: string[];
  phones: string[];
  channelIdentities: { channel: string; externalId: string }[];
  organizationId: string | null;
  locale: string | null;
  timezone: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A contact's own fields (what a create or an update writes besides identities). */
export type ContactProfile = Pick<ContactView, 'name' | 'organizationId' | 'locale' | 'timezone' | 'notes'>;

export const CONTACT_COLUMNS = 'id, name, organization_id, locale, timezone, notes, created_at, updated_at, version';

export const toContactView = (c: ContactRow, identities: Identity[]): ContactView => ({
  id: c.id,
  name: c.name,
  ...splitIdentities(identities),
  organizationId: c.organization_id,
  locale: c.locale,
  timezone: c.timezone,
  notes: c.notes,
  createdAt: new Date(c.created_at).toISOString(),
  updatedAt: new Date(c.updated_at).toISOString(),
  version: c.version,
});

export async function identitiesOf(m: EntityManager, tenantId: string, contactIds: string[]): Promise<Map<string, Identity[]>> {
  const rows: { contact_id: string; kind: Identity['kind']; value: string }[] = contactIds.length
    ? await m.query(`SELECT contact_id, kind, value FROM contact_identities WHERE tenant_id = $1 AND contact_id = ANY($2::uuid[])`, [tenantId, contactIds])
    : [];
  const byContact = new Map<string, Identity[]>(contactIds.map((id) => [id, []]));
  for (const r of rows) byContact.get(r.contact_id)!.push({ kind: r.kind, value: r.value });
  return byContact;
}

export async function loadContact(m: EntityManager, tenantId: string, id: string, lock = false): Promise<ContactView | undefined> {
  const rows: ContactRow[] = await m.query(
    `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  if (!rows[0]) return undefined;
  return toContactView(rows[0], (await identitiesOf(m, tenantId, [id])).get(id)!);
}

export async function insertContact(m: EntityManager, tenantId: string, id: string, profile: ContactProfile): Promise<void> {
  await m.query(`INSERT INTO contacts (tenant_id, id, name, organization_id, locale, timezone, notes) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    tenantId,
    id,
    profile.name,
    profile.organizationId,
    profile.locale,
    profile.timezone,
    profile.notes,
  ]);
}

export async function updateContact(m: EntityManager, tenantId: string, id: string, profile: ContactProfile): Promise<void> {
  await m.query(
    `UPDATE contacts SET name = $3, organization_id = $4, locale = $5, timezone = $6, notes = $7, updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, profile.name, profile.organizationId, profile.locale, profile.timezone, profile.notes],
  );
}

/**
 * Adds identities to a contact, unless another contact holds one of them: then nothing is added
 * and the taken ones are returned (empty: all attached).
 */
export async function attachIdentities(m: EntityManager, tenantId: string, contactId: string, identities: Identity[]): Promise<Identity[]> {
  if (identities.length === 0) return [];
  const taken: Identity[] = await m.query(
    `SELECT kind, value FROM contact_identities
      WHERE tenant_id = $1 AND contact_id <> $2 AND (kind, value) IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
    [tenantId, contactId, identities.map((i) => i.kind), identities.map((i) => i.value)],
  );
  if (taken.length > 0) return taken;
  const inserted: unknown[] = await m.query(
    `INSERT INTO contact_identities (tenant_id, kind, value, contact_id)
     SELECT $1, k, v, $2 FROM unnest($3::text[], $4::text[]) AS t(k, v)
     ON CONFLICT (tenant_id, kind, value) DO UPDATE SET contact_id = contact_identities.contact_id
     WHERE contact_identities.contact_id = $2
     RETURNING kind`,
    [tenantId, contactId, identities.map((i) => i.kind), identities.map((i) => i.value)],
  );
  // A concurrent request took one between the check and the insert: the check now names it.
  if (inserted.length < identities.length) return attachIdentities(m, tenantId, contactId, identities);
  return [];
}

/** Drops the contact's identities that are not in `keep`. */
export async function releaseIdentitiesExcept(m: EntityManager, tenantId: string, contactId: string, keep: Identity[]): Promise<void> {
  await m.query(
    `DELETE FROM contact_identities WHERE tenant_id = $1 AND contact_id = $2
       AND (kind, value) NOT IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
    [tenantId, contactId, keep.map((i) => i.kind), keep.map((i) => i.value)],
  );
}

/**
 * Holds this identity for the rest of the transaction (a transaction-level advisory lock on the
 * tenant, kind and value), so concurrent find-or-creates of one new identity take turns: the
 * second looks after the first has committed, and finds its contact instead of making another.
 */
export async function lockIdentity(m: EntityManager, tenantId: string, identity: Identity): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`contact-identity:${tenantId}:${identity.kind}:${identity.value}`]);
}

export async function findContactIdByIdentity(m: EntityManager, tenantId: string, identity: Identity): Promise<string | undefined> {
  const rows: { contact_id: string }[] = await m.query(`SELECT contact_id FROM contact_identities WHERE tenant_id = $1 AND kind = $2 AND value = $3`, [
    tenantId,
    identity.kind,
    identity.value,
  ]);
  return rows[0]?.contact_id;
}

/** Soft delete: the row stays for history; its identities are released and remembered. */
export async function softDeleteContact(m: EntityManager, tenantId: string, contactId: string, released: Pick<ContactView, 'emails' | 'phones' | 'channelIdentities'>): Promise<void> {
  await m.query(`DELETE FROM contact_identities WHERE tenant_id = $1 AND contact_id = $2`, [tenantId, contactId]);
  await m.query(
    `UPDATE contacts SET deleted_at = now(), deleted_identities = $3::jsonb, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, contactId, JSON.stringify(released)],
  );
}

export async function moveIdentities(m: EntityManager, tenantId: string, fromContactId: string, toContactId: string): Promise<void> {
  await m.query(`UPDATE contact_identities SET contact_id = $2 WHERE tenant_id = $1 AND contact_id = $3`, [tenantId, toContactId, fromContactId]);
}

/** The target's empty fields take the source's values; the source is soft-deleted, pointing at the target. */
export async function foldContactInto(m: EntityManager, tenantId: string, targetId: string, sourceId: string): Promise<void> {
  await m.query(
    `UPDATE contacts t SET organization_id = coalesce(t.organization_id, s.organization_id), locale = coalesce(t.locale, s.locale),
            timezone = coalesce(t.timezone, s.timezone), notes = coalesce(t.notes, s.notes), updated_at = now(), version = t.version + 1
       FROM contacts s WHERE t.tenant_id = $1 AND t.id = $2 AND s.tenant_id = $1 AND s.id = $3`,
    [tenantId, targetId, sourceId],
  );
  await m.query(
    `UPDATE contacts SET deleted_at = now(), deleted_identities = jsonb_build_object('mergedInto', $3::text), updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND id = $2`,
    [tenantId, sourceId, targetId],
  );
}

/** The organization's contacts belong to none any more; returns how many. */
export async function detachContactsFromOrganization(m: EntityManager, tenantId: string, organizationId: string): Promise<number> {
  const rows: unknown[] = await m.query(
    `WITH u AS (UPDATE contacts SET organization_id = NULL, updated_at = now(), version = version + 1
      WHERE tenant_id = $1 AND organization_id = $2 RETURNING id) SELECT id FROM u`,
    [tenantId, organizationId],
  );
  return rows.length;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Newest first, with `q` matching name, email, phone or chat id by substring (trigram indexes
 * keep it fast); a phone typed in any format is also matched in its normalised form. One row more
 * than `limit` tells whether a next page exists.
 */
export async function listContacts(m: EntityManager, tenantId: string, filter: ContactFilter): Promise<ContactView[]> {
  const params: unknown[] = [tenantId, filter.limit + 1];
  const where = ['c.tenant_id = $1', 'c.deleted_at IS NULL'];
  if (filter.organizationId) where.push(`c.organization_id = $${params.push(filter.organizationId)}`);
  const q = filter.q?.trim();
  if (q) {
    const patterns = [`%${escapeLike(q.toLowerCase())}%`];
    const phone = normalisePhone(q) ?? (filter.phoneCountry ? normalisePhone(q, filter.phoneCountry) : null);
    if (phone) patterns.push(`%${escapeLike(phone)}%`);
    const p = params.push(patterns);
    where.push(`(lower(c.name) LIKE ANY($${p}::text[]) OR EXISTS (
      SELECT 1 FROM contact_identities i WHERE i.tenant_id = c.tenant_id AND i.contact_id = c.id AND i.value LIKE ANY($${p}::text[])))`);
  }
  for (const [key, text] of Object.entries(filter.attributes ?? {})) {
    where.push(`EXISTS (SELECT 1 FROM contact_attributes a WHERE a.tenant_id = c.tenant_id AND a.contact_id = c.id
      AND a.key = $${params.push(key)} AND lower(a.value) LIKE $${params.push(`%${escapeLike(text!.toLowerCase())}%`)})`);
  }
  if (filter.cursor) {
    const [createdAt, id] = decodeCursor(filter.cursor, 2);
    where.push(`(c.created_at, c.id) < ($${params.push(createdAt)}::timestamptz, $${params.push(id)}::uuid)`);
  }
  const rows: ContactRow[] = await m.query(
    `SELECT ${CONTACT_COLUMNS.split(', ').map((col) => `c.${col}`).join(', ')} FROM contacts c
      WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
    params,
  );
  const identities = await identitiesOf(m, tenantId, rows.map((r) => r.id));
  return rows.map((r) => toContactView(r, identities.get(r.id)!));
}
