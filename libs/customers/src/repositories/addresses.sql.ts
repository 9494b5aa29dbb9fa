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
