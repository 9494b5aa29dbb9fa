import type { EntityManager } from 'typeorm';
import { DEFAULT_TEMPLATE_VERSION, DEFAULT_TEMPLATES, type TemplateFeature, type TemplateMessage } from './feature-templates';

export type TemplateSource = 'default' | 'tenant';

/** Which template produced a prompt: usage rows and results carry it. */
export interface TemplateRef {
  feature: TemplateFeature;
  version: number;
  source: TemplateSource;
}

/** One version of a feature's template as a tenant sees it. */
export interface TemplateVersion extends TemplateRef {
  messages: TemplateMessage[];
  createdAt: string | null;
  createdBy: string | null;
}

interface Row {
  feature: TemplateFeature;
  version: number;
  source: TemplateSource;
  messages: TemplateMessage[] | null;
  created_by: string | null;
  created_at: Date;
}

const toVersion = (r: Row): TemplateVersion => ({
  feature: r.feature,
  version: r.version,
  source: r.source,
  // A version that went back to the default shows the default's messages.
  messages: r.messages ?? DEFAULT_TEMPLATES[r.feature],
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
});

export const shippedDefault = (feature: TemplateFeature): TemplateVersion => ({ feature, version: DEFAULT_TEMPLATE_VERSION, source: 'default', messages: DEFAULT_TEMPLATES[feature], createdAt: null, createdBy: null });

/** The newest version of each feature the tenant has changed; features never changed are absent. */
export async function loadLatestVersions(m: EntityManager, tenantId: string, feature?: TemplateFeature): Promise<Map<TemplateFeature, TemplateVersion>> {
  const rows: Row[] = await m.query(
    `SELECT DISTINCT ON (feature) feature, version, source, messages, created_by, created_at FROM ai_prompt_templates
      WHERE tenant_id = $1 AND ($2::text IS NULL OR feature = $2) ORDER BY feature, version DESC`,
    [tenantId, feature ?? null],
  );
  return new Map(rows.map((r) => [r.feature, toVersion(r)]));
}

/** A feature's versions, newest first, below `beforeVersion` when paging. */
export async function loadVersions(m: EntityManager, tenantId: string, feature: TemplateFeature, limit: number, beforeVersion: number | null): Promise<TemplateVersion[]> {
  const rows: Row[] = await m.query(
    `SELECT feature, version, source, messages, created_by, created_at FROM ai_prompt_templates
      WHERE tenant_id = $1 AND feature = $2 AND ($3::int IS NULL OR version < $3) ORDER BY version DESC LIMIT $4`,
    [tenantId, feature, beforeVersion, limit],
  );
  return rows.map(toVersion);
}

export async function appendVersion(m: EntityManager, tenantId: string, feature: TemplateFeature, version: number, messages: TemplateMessage[] | null, createdBy: string | null): Promise<TemplateVersion> {
  const [row]: Row[] = await m.query(
    `INSERT INTO ai_prompt_templates (tenant_id, feature, version, source, messages, created_by) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     RETURNING feature, version, source, messages, created_by, created_at`,
    [tenantId, feature, version, messages ? 'tenant' : 'default', messages ? JSON.stringify(messages) : null, createdBy],
  );
  return toVersion(row!);
}
