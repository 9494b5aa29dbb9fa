export interface OrganizationRow {
  id: string;
  name: string;
  domains: string[];
  notes: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export interface OrganizationView {
  id: string;
  name: string;
  domains: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export const ORGANIZATION_COLUMNS = 'id, name, domains, notes, created_at, updated_at, version';

export const toOrganizationView = (o: OrganizationRow): OrganizationView => ({
  id: o.id,
  name: o.name,
  domains: o.domains,
  notes: o.notes,
  createdAt: new Date(o.created_at).toISOString(),
  updatedAt: new Date(o.updated_at).toISOString(),
  version: o.version,
});

export const normaliseDomains = (domains: string[]) => [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))].sort();
