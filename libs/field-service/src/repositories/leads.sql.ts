import type { Statement } from '@switchboard/platform';
import type { LeadExtraction, LeadFields, LeadStatus, LeadSuggestion } from '../domain/leads';
import { iso } from './execute';

export interface LeadRow {
  id: string;
  status: LeadStatus;
  notes: string;
  fields: LeadFields;
  service_id: string | null;
  suggestions: LeadSuggestion[] | null;
  extraction_status: LeadExtraction['status'] | null;
  extraction_detail: string | null;
  provider: string | null;
  model: string | null;
  contact_id: string | null;
  address_id: string | null;
  job_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  converted_by: string | null;
  converted_at: Date | null;
  dismissed_reason: string | null;
  version: number;
}

export interface LeadView {
  id: string;
  status: LeadStatus;
  notes: string;
  /** What was typed in with the notes (blank fields left out). */
  fields: LeadFields;
  serviceId: string | null;
  /** Null until suggested; an empty list when the extraction found nothing or failed. */
  suggestions: LeadSuggestion[] | null;
  extraction: LeadExtraction | null;
  contactId: string | null;
  addressId: string | null;
  jobId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  convertedBy: string | null;
  convertedAt: string | null;
  dismissedReason: string | null;
  version: number;
}

export interface NewLead {
  notes: string;
  fields: LeadFields;
  serviceId: string | null;
}

const COLUMNS =
  'id, status, notes, fields, service_id, suggestions, extraction_status, extraction_detail, provider, model, contact_id, address_id, job_id, created_by, created_at, updated_at, converted_by, converted_at, dismissed_reason, version';

export const toLeadView = (r: LeadRow): LeadView => ({
  id: r.id,
  status: r.status,
  notes: r.notes,
  fields: r.fields,
  serviceId: r.service_id,
  suggestions: r.suggestions,
  extraction: r.extraction_status ? { status: r.extraction_status, detail: r.extraction_detail, provider: r.provider, model: r.model } : null,
  contactId: r.contact_id,
  addressId: r.address_id,
  jobId: r.job_id,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  convertedBy: r.converted_by,
  convertedAt: iso(r.converted_at),
  dismissedReason: r.dismissed_reason,
  version: r.version,
});

export const leadsSql = {
  find: (tenantId: string, id: string, forUpdate = false): Statement => ({
    sql: `SELECT ${COLUMNS} FROM fs_leads WHERE tenant_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),

  insert: (tenantId: string, lead: NewLead, by: string | null): Statement => ({
    sql: `INSERT INTO fs_leads (tenant_id, notes, fields, service_id, created_by) VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING ${COLUMNS}`,
    params: [tenantId, lead.notes, JSON.stringify(lead.fields), lead.serviceId, by],
  }),

  /** Suggestions replace the previous ones; only on a lead still new. */
  saveSuggestions: (tenantId: string, id: string, suggestions: LeadSuggestion[], e: LeadExtraction): Statement => ({
    sql: `WITH changed AS (
            UPDATE fs_leads SET suggestions = $3::jsonb, extraction_status = $4, extraction_detail = $5, provider = $6, model = $7, updated_at = now(), version = version + 1
             WHERE tenant_id = $1 AND id = $2 AND status = 'new' RETURNING ${COLUMNS})
          SELECT * FROM changed`,
    params: [tenantId, id, JSON.stringify(suggestions), e.status, e.detail, e.provider, e.model],
  }),

  convert: (tenantId: string, id: string, links: { contactId: string; addressId: string | null; jobId: string | null; fields: LeadFields; serviceId: string | null }, by: string | null): Statement => ({
    sql: `WITH changed AS (
            UPDATE fs_leads SET status = 'converted', contact_id = $3, address_id = $4, job_id = $5, fields = $6::jsonb, service_id = $7, converted_by = $8, converted_at = now(), updated_at = now(), version = version + 1
             WHERE tenant_id = $1 AND id = $2 AND status = 'new' RETURNING ${COLUMNS})
          SELECT * FROM changed`,
    params: [tenantId, id, links.contactId, links.addressId, links.jobId, JSON.stringify(links.fields), links.serviceId, by],
  }),

  dismiss: (tenantId: string, id: string, reason: string | null): Statement => ({
    sql: `WITH changed AS (
            UPDATE fs_leads SET status = 'dismissed', dismissed_reason = $3, updated_at = now(), version = version + 1
             WHERE tenant_id = $1 AND id = $2 AND status = 'new' RETURNING ${COLUMNS})
          SELECT * FROM changed`,
    params: [tenantId, id, reason],
  }),

  /** Newest first, one more than `limit`; `after` is the last row's (created_at, id). */
  list: (tenantId: string, page: { limit: number; after?: [string, string]; status?: LeadStatus }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    let where = '';
    if (page.after) where += ` AND (created_at, id) < ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)`;
    if (page.status) where += ` AND status = $${params.push(page.status)}`;
    return { sql: `SELECT ${COLUMNS} FROM fs_leads WHERE tenant_id = $1${where} ORDER BY created_at DESC, id DESC LIMIT $2`, params };
  },
};
