import type { Statement } from '@switchboard/platform';

export interface SynonymSetView {
  id: string;
  terms: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface SynonymSetRow {
  id: string;
  terms: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

export const SYNONYM_COLUMNS = 'id, terms, created_at, updated_at, version';

export const toSynonymSetView = (r: SynonymSetRow): SynonymSetView => ({
  id: r.id,
  terms: r.terms,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
});

export const selectSynonymSet = (tenantId: string, id: string, lock = false): Statement => ({
  sql: `SELECT ${SYNONYM_COLUMNS} FROM kb_synonyms WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
  params: [tenantId, id],
});

export const insertSynonymSet = (tenantId: string, terms: string[]): Statement => ({
  sql: `INSERT INTO kb_synonyms (tenant_id, terms) VALUES ($1, $2::text[]) RETURNING ${SYNONYM_COLUMNS}`,
  params: [tenantId, terms],
});

export const updateSynonymSet = (tenantId: string, id: string, terms: string[]): Statement => ({
  // In a CTE: a bare UPDATE … RETURNING comes back as [rows, count] through the driver.
  sql: `WITH changed AS (UPDATE kb_synonyms SET terms = $3::text[], updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 RETURNING ${SYNONYM_COLUMNS}) SELECT * FROM changed`,
  params: [tenantId, id, terms],
});

export const deleteSynonymSet = (tenantId: string, id: string): Statement => ({
  sql: `WITH gone AS (DELETE FROM kb_synonyms WHERE tenant_id = $1 AND id = $2 RETURNING ${SYNONYM_COLUMNS}) SELECT * FROM gone`,
  params: [tenantId, id],
});

export const countSynonymSets = (tenantId: string): Statement => ({
  sql: `SELECT count(*)::int AS n FROM kb_synonyms WHERE tenant_id = $1`,
  params: [tenantId],
});

/** A keyset page in creation order (created_at, id), optionally only the sets holding `term`. */
export const synonymSetPage = (tenantId: string, filter: { term?: string }, limit: number, after?: { createdAt: string; id: string }): Statement => {
  const params: unknown[] = [tenantId, limit + 1];
  const where = ['tenant_id = $1'];
  if (filter.term) where.push(`terms @> ARRAY[$${params.push(filter.term)}::text]`);
  if (after) where.push(`(created_at, id) > ($${params.push(after.createdAt)}::timestamptz, $${params.push(after.id)}::uuid)`);
  return { sql: `SELECT ${SYNONYM_COLUMNS} FROM kb_synonyms WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $2`, params };
};
