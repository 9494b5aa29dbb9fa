import type { EntityManager } from 'typeorm';
import type { TemplateMessage } from '../templates/template-variables';
import type { TemplateRef, TemplateSource } from '../templates/template-versions';

/** A version as stored: no messages when it went back to the shipped default. */
export interface StoredTemplateVersion extends TemplateRef {
  messages: TemplateMessage[] | null;
  createdAt: string;
  createdBy: string | null;
}

interface Row {
  feature: string;
  version: number;
  source: TemplateSource;
  messages: TemplateMessage[] | null;
  created_by: string | null;
  created_at: Date;
}

const COLUMNS = 'feature, version, source, messages, created_by, created_at';

const toStored = (r: Row): StoredTemplateVersion => ({ feature: r.feature, version: r.version, source: r.source, messages: r.messages, createdAt: r.created_at.toISOString(), createdBy: r.created_by });

/** The newest version of each feature the tenant has changed (or of one feature). */
export async function latestVersions(m: EntityManager, tenantId: string, feature: string | null): Promise<StoredTemplateVersion[]> {
  const rows: Row[] = await m.query(
    `SELECT DISTINCT ON (feature) ${COLUMNS} FROM ai_prompt_templates
      WHERE tenant_id = $1 AND ($2::text IS NULL OR feature = $2) ORDER BY feature, version DESC`,
    [tenantId, feature],
  );
  return rows.map(toStored);
}

/** A feature's versions, newest first, below `beforeVersion` when paging. */
export async function versionsOf(m: EntityManager, tenantId: string, feature: string, limit: number, beforeVersion: number | null): Promise<StoredTemplateVersion[]> {
  const rows: Row[] = await m.query(
    `SELECT ${COLUMNS} FROM ai_prompt_templates
      WHERE tenant_id = $1 AND feature = $2 AND ($3::int IS NULL OR version < $3) ORDER BY version DESC LIMIT $4`,
    [tenantId, feature, beforeVersion, limit],
  );
  return rows.map(toStored);
}

/** Appends a version; the primary key (tenant, feature, version) refuses a second writer of the same number. */
export async function insertVersion(m: EntityManager, tenantId: string, feature: string, version: number, messages: TemplateMessage[] | null, createdBy: string | null): Promise<StoredTemplateVersion> {
  const [row]: Row[] = await m.query(
    `INSERT INTO ai_prompt_templates (tenant_id, feature, version, source, messages, created_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     RETURNING ${COLUMNS}`,
    [tenantId, feature, version, messages ? 'tenant' : 'default', messages ? JSON.stringify(messages) : null, createdBy],
  );
  return toStored(row!);
}
