import { ProblemException } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { splitIdentities, type Identity } from '../domain/identities';

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

/** Adds identities to a contact; one already held by another contact is a 409 naming it. */
export async function attachIdentities(m: EntityManager, tenantId: string, contactId: string, identities: Identity[]): Promise<void> {
  if (identities.length === 0) return;
  const taken: { kind: string; value: string }[] = await m.query(
    `SELECT kind, value FROM contact_identities
      WHERE tenant_id = $1 AND contact_id <> $2 AND (kind, value) IN (SELECT * FROM unnest($3::text[], $4::text[]))`,
    [tenantId, contactId, identities.map((i) => i.kind), identities.map((i) => i.value)],
  );
  if (taken.length > 0) {
    throw new ProblemException({
      status: 409,
      type: 'identity-taken',
      title: 'Conflict',
      detail: `Another contact already has ${taken.map((t) => `${t.kind} ${t.value}`).join(', ')}.`,
      errors: taken.map((t) => ({ field: t.kind === 'email' ? 'emails' : t.kind === 'phone' ? 'phones' : 'channelIdentities', message: `${t.value} belongs to another contact` })),
    });
  }
  const inserted: unknown[] = await m.query(
    `INSERT INTO contact_identities (tenant_id, kind, value, contact_id)
     SELECT $1, k, v, $2 FROM unnest($3::text[], $4::text[]) AS t(k, v)
     ON CONFLICT (tenant_id, kind, value) DO UPDATE SET contact_id = contact_identities.contact_id
     WHERE contact_identities.contact_id = $2
     RETURNING kind`,
    [tenantId, contactId, identities.map((i) => i.kind), identities.map((i) => i.value)],
  );
  // A concurrent request took one between the check and the insert: the same answer as above.
  if (inserted.length < identities.length) return attachIdentities(m, tenantId, contactId, identities);
}

export async function assertOrganization(m: EntityManager, tenantId: string, organizationId: string | null | undefined): Promise<void> {
  if (!organizationId) return;
  const rows: unknown[] = await m.query(`SELECT 1 FROM organizations WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`, [tenantId, organizationId]);
  if (rows.length === 0) {
    throw new ProblemException({
      status: 422,
      type: 'invalid-reference',
      title: 'Unprocessable Content',
      detail: `Organization ${organizationId} does not exist.`,
      errors: [{ field: 'organizationId', message: 'must reference an existing organization' }],
    });
  }
}

export function assertVersion(expected: number | null, actual: number, what: string): void {
  if (expected !== null && expected !== actual) {
    throw new ProblemException({
      status: 412,
      type: 'precondition-failed',
      title: 'Precondition Failed',
      detail: `The ${what} changed since version ${expected} (now ${actual}); reload and retry.`,
    });
  }
}
