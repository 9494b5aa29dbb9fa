import type { EntityManager } from 'typeorm';

export interface AddressRow {
  id: string;
  contact_id: string;
  label: string;
  street: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  access_notes: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface AddressFields {
  label?: string;
  street?: string | null;
  city?: string | null;
  region?: string | null;
  postalCode?: string | null;
  country?: string | null;
  accessNotes?: string | null;
}

export interface AddressView extends Required<AddressFields> {
  id: string;
  contactId: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const ADDRESS_COLUMNS = 'id, contact_id, label, street, city, region, postal_code, country, access_notes, created_at, updated_at, version';

export const toAddressView = (r: AddressRow): AddressView => ({
  id: r.id,
  contactId: r.contact_id,
  label: r.label,
  street: r.street,
  city: r.city,
  region: r.region,
  postalCode: r.postal_code,
  country: r.country,
  accessNotes: r.access_notes,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

/** API field → column, for the fields an address save may set. */
const COLUMN: Record<keyof AddressFields, string> = {
  label: 'label',
  street: 'street',
  city: 'city',
  region: 'region',
  postalCode: 'postal_code',
  country: 'country',
  accessNotes: 'access_notes',
};

/** The fields given (undefined: not given), with their columns. */
function given(fields: AddressFields): { columns: string[]; values: unknown[] } {
  const keys = (Object.keys(COLUMN) as (keyof AddressFields)[]).filter((k) => fields[k] !== undefined);
  return { columns: keys.map((k) => COLUMN[k]), values: keys.map((k) => fields[k] ?? null) };
}

export async function findAddress(m: EntityManager, tenantId: string, contactId: string, addressId: string, lock = false): Promise<AddressView | undefined> {
  const rows: AddressRow[] = await m.query(
    `SELECT ${ADDRESS_COLUMNS} FROM contact_addresses WHERE tenant_id = $1 AND contact_id = $2 AND id = $3${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, contactId, addressId],
  );
  return rows[0] ? toAddressView(rows[0]) : undefined;
}

export async function findAddressById(m: EntityManager, tenantId: string, addressId: string): Promise<AddressView | undefined> {
  const rows: AddressRow[] = await m.query(`SELECT ${ADDRESS_COLUMNS} FROM contact_addresses WHERE tenant_id = $1 AND id = $2`, [tenantId, addressId]);
  return rows[0] ? toAddressView(rows[0]) : undefined;
}

export async function insertAddress(m: EntityManager, tenantId: string, contactId: string, fields: AddressFields): Promise<AddressView> {
  const { columns, values } = given(fields);
  const [row]: AddressRow[] = await m.query(
    `INSERT INTO contact_addresses (tenant_id, contact_id, ${columns.join(', ')})
     VALUES ($1, $2, ${columns.map((_, i) => `$${i + 3}`).join(', ')}) RETURNING ${ADDRESS_COLUMNS}`,
    [tenantId, contactId, ...values],
  );
  return toAddressView(row);
}

/** Changes the fields given; the others keep their values. */
export async function updateAddress(m: EntityManager, tenantId: string, addressId: string, fields: AddressFields): Promise<AddressView> {
  const { columns, values } = given(fields);
  const [row]: AddressRow[] = await m.query(
    `WITH u AS (UPDATE contact_addresses SET ${columns.map((c, i) => `${c} = $${i + 3}`).concat('updated_at = now()', 'version = version + 1').join(', ')}
       WHERE tenant_id = $1 AND id = $2 RETURNING ${ADDRESS_COLUMNS}) SELECT * FROM u`,
    [tenantId, addressId, ...values],
  );
  return toAddressView(row);
}

export async function deleteAddress(m: EntityManager, tenantId: string, addressId: string): Promise<void> {
  await m.query(`DELETE FROM contact_addresses WHERE tenant_id = $1 AND id = $2`, [tenantId, addressId]);
}

export async function listAddresses(m: EntityManager, tenantId: string, contactId: string): Promise<AddressView[]> {
  const rows: AddressRow[] = await m.query(`SELECT ${ADDRESS_COLUMNS} FROM contact_addresses WHERE tenant_id = $1 AND contact_id = $2 ORDER BY created_at, id`, [tenantId, contactId]);
  return rows.map(toAddressView);
}

export async function moveAddresses(m: EntityManager, tenantId: string, fromContactId: string, toContactId: string): Promise<void> {
  await m.query(`UPDATE contact_addresses SET contact_id = $2 WHERE tenant_id = $1 AND contact_id = $3`, [tenantId, toContactId, fromContactId]);
}
