import type { Statement } from '@switchboard/platform';
import type { ContactAttributeKey } from '../domain/attributes';

export interface ContactAttributeRow {
  contact_id: string;
  key: ContactAttributeKey;
  value: string;
  ai_value: string | null;
  ai_confidence: number | null;
  source: 'close_out' | 'manual';
  source_job_id: string | null;
  confirmed_by: string | null;
  confirmed_at: Date;
  version: number;
}

/** One attribute of a contact with where it came from: the AI's value (if any) and the value a person confirmed. */
export interface ContactAttributeView {
  contactId: string;
  key: ContactAttributeKey;
  value: string;
  provenance: {
    source: 'close_out' | 'manual';
    jobId: string | null;
    aiValue: string | null;
    aiConfidence: number | null;
    confirmedBy: string | null;
    confirmedAt: string;
  };
  version: number;
}

/** A value to store, with its provenance. */
export interface AttributeWrite {
  key: ContactAttributeKey;
  value: string;
  aiValue: string | null;
  aiConfidence: number | null;
  source: 'close_out' | 'manual';
  jobId: string | null;
  confirmedBy: string | null;
  confirmedAt: string;
}

const COLUMNS = 'contact_id, key, value, ai_value, ai_confidence, source, source_job_id, confirmed_by, confirmed_at, version';

export const toContactAttributeView = (r: ContactAttributeRow): ContactAttributeView => ({
  contactId: r.contact_id,
  key: r.key,
  value: r.value,
  provenance: {
    source: r.source,
    jobId: r.source_job_id,
    aiValue: r.ai_value,
    aiConfidence: r.ai_confidence === null ? null : Number(r.ai_confidence),
    confirmedBy: r.confirmed_by,
    confirmedAt: new Date(r.confirmed_at).toISOString(),
  },
  version: r.version,
});

export const contactAttributesSql = {
  list: (tenantId: string, contactId: string): Statement => ({
    sql: `SELECT ${COLUMNS} FROM contact_attributes WHERE tenant_id = $1 AND contact_id = $2 ORDER BY key`,
    params: [tenantId, contactId],
  }),

  /**
   * One value per key: a newer confirmation replaces an older one, and an older one arriving late
   * (a close-out applied after a person edited the value) leaves the newer value alone.
   */
  upsert: (tenantId: string, contactId: string, a: AttributeWrite): Statement => ({
    sql: `WITH changed AS (
            INSERT INTO contact_attributes (tenant_id, contact_id, key, value, ai_value, ai_confidence, source, source_job_id, confirmed_by, confirmed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (tenant_id, contact_id, key) DO UPDATE SET
              value = EXCLUDED.value, ai_value = EXCLUDED.ai_value, ai_confidence = EXCLUDED.ai_confidence, source = EXCLUDED.source,
              source_job_id = EXCLUDED.source_job_id, confirmed_by = EXCLUDED.confirmed_by, confirmed_at = EXCLUDED.confirmed_at,
              version = contact_attributes.version + 1
            WHERE contact_attributes.confirmed_at <= EXCLUDED.confirmed_at
            RETURNING ${COLUMNS})
          SELECT * FROM changed`,
    params: [tenantId, contactId, a.key, a.value, a.aiValue, a.aiConfidence, a.source, a.jobId, a.confirmedBy, a.confirmedAt],
  }),

  /** A merge: the source's values move to the target, the more recently confirmed value of a key winning. */
  moveToContact: (tenantId: string, sourceId: string, targetId: string): Statement => ({
    sql: `WITH moved AS (
            INSERT INTO contact_attributes (tenant_id, contact_id, key, value, ai_value, ai_confidence, source, source_job_id, confirmed_by, confirmed_at)
            SELECT tenant_id, $3, key, value, ai_value, ai_confidence, source, source_job_id, confirmed_by, confirmed_at
              FROM contact_attributes WHERE tenant_id = $1 AND contact_id = $2
            ON CONFLICT (tenant_id, contact_id, key) DO UPDATE SET
              value = EXCLUDED.value, ai_value = EXCLUDED.ai_value, ai_confidence = EXCLUDED.ai_confidence, source = EXCLUDED.source,
              source_job_id = EXCLUDED.source_job_id, confirmed_by = EXCLUDED.confirmed_by, confirmed_at = EXCLUDED.confirmed_at,
              version = contact_attributes.version + 1
            WHERE contact_attributes.confirmed_at < EXCLUDED.confirmed_at
            RETURNING key)
          DELETE FROM contact_attributes WHERE tenant_id = $1 AND contact_id = $2`,
    params: [tenantId, sourceId, targetId],
  }),

  remove: (tenantId: string, contactId: string, key: string): Statement => ({
    sql: `WITH gone AS (DELETE FROM contact_attributes WHERE tenant_id = $1 AND contact_id = $2 AND key = $3 RETURNING ${COLUMNS}) SELECT * FROM gone`,
    params: [tenantId, contactId, key],
  }),
};
