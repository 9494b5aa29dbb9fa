import type { Statement } from '@switchboard/platform';

/** Files attached to a ticket (their bytes live in tenant storage). AttachmentsRepository executes these. */
export interface AttachmentView {
  id: string;
  ticketId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  createdAt: string;
}

export interface AttachmentRow {
  id: string;
  ticket_id: string;
  storage_key: string;
  filename: string;
  content_type: string;
  size: string;
  sha256: string;
  uploaded_by: string | null;
  created_at: Date;
}

export const ATTACHMENT_COLUMNS = 'id, ticket_id, storage_key, filename, content_type, size, sha256, uploaded_by, created_at';

export const toAttachmentView = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  ticketId: r.ticket_id,
  filename: r.filename,
  contentType: r.content_type,
  size: Number(r.size),
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  createdAt: new Date(r.created_at).toISOString(),
});

export interface NewAttachmentRow {
  storageKey: string;
  filename: string;
  /** As sniffed from the bytes. */
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
}

export const attachmentSql = {
  insert: (tenantId: string, ticketId: string, a: NewAttachmentRow): Statement => ({
    sql: `INSERT INTO ticket_attachments (tenant_id, ticket_id, storage_key, filename, content_type, size, sha256, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ATTACHMENT_COLUMNS}`,
    params: [tenantId, ticketId, a.storageKey, a.filename, a.contentType, a.size, a.sha256, a.uploadedBy],
  }),

  /**
   * The tenant's stored bytes from the totals the attachment triggers keep (never a scan), with
   * the totals row locked until commit, so two uploads of one tenant cannot both squeeze under its
   * storage limit. Creates the row at zero for a tenant's first file.
   */
  storedBytesForUpdate: (tenantId: string): Statement => ({
    sql: `INSERT INTO ticket_attachment_usage AS u (tenant_id) VALUES ($1)
          ON CONFLICT (tenant_id) DO UPDATE SET tenant_id = u.tenant_id RETURNING bytes`,
    params: [tenantId],
  }),

  /** The tenant's stored bytes now (no row: none yet). */
  storedBytes: (tenantId: string): Statement => ({
    sql: `SELECT bytes FROM ticket_attachment_usage WHERE tenant_id = $1`,
    params: [tenantId],
  }),

  /** The tenant's stored files by media type (parameters such as charset dropped), largest first: the usage page's breakdown. */
  storedByType: (tenantId: string): Statement => ({
    sql: `SELECT lower(trim(split_part(content_type, ';', 1))) AS content_type, count(*)::int AS files, coalesce(sum(size), 0)::bigint AS bytes
          FROM ticket_attachments WHERE tenant_id = $1 GROUP BY 1 ORDER BY bytes DESC, 1 LIMIT 50`,
    params: [tenantId],
  }),

  ofTicket: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT ${ATTACHMENT_COLUMNS} FROM ticket_attachments WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at, id LIMIT 1000`,
    params: [tenantId, ticketId],
  }),

  byId: (tenantId: string, ticketId: string, id: string): Statement => ({
    sql: `SELECT ${ATTACHMENT_COLUMNS} FROM ticket_attachments WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3`,
    params: [tenantId, ticketId, id],
  }),
};
