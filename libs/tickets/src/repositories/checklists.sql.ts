import type { Statement } from '@switchboard/platform';

export interface ChecklistItemView {
  id: string;
  position: number;
  text: string;
  doneAt: string | null;
  doneBy: string | null;
}

export interface ChecklistView {
  id: string;
  ticketId: string;
  title: string;
  templateId: string | null;
  createdBy: string | null;
  createdAt: string;
  items: ChecklistItemView[];
}

export interface ChecklistTemplateView {
  id: string;
  name: string;
  items: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface ChecklistRow {
  id: string;
  ticket_id: string;
  title: string;
  template_id: string | null;
  created_by: string | null;
  created_at: Date;
  items: { id: string; position: number; text: string; done_at: string | null; done_by: string | null }[] | null;
}

export interface TemplateRow {
  id: string;
  name: string;
  items: string[];
  created_at: Date;
  updated_at: Date;
  version: number;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export const toChecklistView = (r: ChecklistRow): ChecklistView => ({
  id: r.id,
  ticketId: r.ticket_id,
  title: r.title,
  templateId: r.template_id,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  items: (r.items ?? []).map((i) => ({ id: i.id, position: i.position, text: i.text, doneAt: iso(i.done_at), doneBy: i.done_by })),
});

export const toTemplateView = (r: TemplateRow): ChecklistTemplateView => ({ id: r.id, name: r.name, items: r.items, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!, version: r.version });

const TEMPLATE_COLUMNS = 'id, name, items, created_at, updated_at, version';
/** A checklist with its items in order, as one row. */
const CHECKLIST_SELECT = `SELECT c.id, c.ticket_id, c.title, c.template_id, c.created_by, c.created_at,
  (SELECT json_agg(json_build_object('id', i.id, 'position', i.position, 'text', i.text, 'done_at', i.done_at, 'done_by', i.done_by) ORDER BY i.position)
     FROM ticket_checklist_items i WHERE i.tenant_id = c.tenant_id AND i.checklist_id = c.id) AS items
  FROM ticket_checklists c`;

export const checklistsSql = {
  insertTemplate: (tenantId: string, name: string, items: string[]): Statement => ({
    sql: `INSERT INTO ticket_checklist_templates (tenant_id, name, items) VALUES ($1, $2, $3) RETURNING ${TEMPLATE_COLUMNS}`,
    params: [tenantId, name, items],
  }),
  findTemplate: (tenantId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${TEMPLATE_COLUMNS} FROM ticket_checklist_templates WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, id],
  }),
  updateTemplate: (tenantId: string, id: string, name: string, items: string[]): Statement => ({
    sql: `WITH changed AS (UPDATE ticket_checklist_templates SET name = $3, items = $4, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2 RETURNING ${TEMPLATE_COLUMNS}) SELECT * FROM changed`,
    params: [tenantId, id, name, items],
  }),
  deleteTemplate: (tenantId: string, id: string): Statement => ({
    sql: `UPDATE ticket_checklist_templates SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
    params: [tenantId, id],
  }),
  templates: (tenantId: string, page: { limit: number; after?: [string, string] }): Statement => {
    const params: unknown[] = [tenantId, page.limit + 1];
    const after = page.after ? ` AND (created_at, id) > ($${params.push(page.after[0])}::timestamptz, $${params.push(page.after[1])}::uuid)` : '';
    return { sql: `SELECT ${TEMPLATE_COLUMNS} FROM ticket_checklist_templates WHERE tenant_id = $1 AND deleted_at IS NULL${after} ORDER BY created_at, id LIMIT $2`, params };
  },

  insertChecklist: (tenantId: string, ticketId: string, c: { title: string; templateId: string | null; createdBy: string | null; items: string[] }): Statement => ({
    sql: `WITH c AS (INSERT INTO ticket_checklists (tenant_id, ticket_id, title, template_id, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING tenant_id, id),
               i AS (INSERT INTO ticket_checklist_items (tenant_id, checklist_id, position, text)
                     SELECT c.tenant_id, c.id, t.ord::int, t.text FROM c, unnest($6::text[]) WITH ORDINALITY AS t(text, ord) RETURNING 1)
          SELECT c.id, (SELECT count(*) FROM i) AS items FROM c`,
    params: [tenantId, ticketId, c.title, c.templateId, c.createdBy, c.items],
  }),
  findChecklist: (tenantId: string, ticketId: string, id: string): Statement => ({
    sql: `${CHECKLIST_SELECT} WHERE c.tenant_id = $1 AND c.ticket_id = $2 AND c.id = $3`,
    params: [tenantId, ticketId, id],
  }),
  lockChecklist: (tenantId: string, ticketId: string, id: string): Statement => ({
    sql: `SELECT id FROM ticket_checklists WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3 FOR UPDATE`,
    params: [tenantId, ticketId, id],
  }),
  ofTicket: (tenantId: string, ticketId: string): Statement => ({
    sql: `${CHECKLIST_SELECT} WHERE c.tenant_id = $1 AND c.ticket_id = $2 ORDER BY c.created_at, c.id LIMIT 100`,
    params: [tenantId, ticketId],
  }),
  deleteChecklist: (tenantId: string, id: string): Statement => ({
    sql: `WITH gone AS (DELETE FROM ticket_checklists WHERE tenant_id = $1 AND id = $2 RETURNING 1) SELECT 1 FROM gone`,
    params: [tenantId, id],
  }),
  addItem: (tenantId: string, checklistId: string, text: string): Statement => ({
    sql: `INSERT INTO ticket_checklist_items (tenant_id, checklist_id, position, text)
          SELECT $1, $2, coalesce(max(position), 0) + 1, $3 FROM ticket_checklist_items WHERE tenant_id = $1 AND checklist_id = $2
          RETURNING id`,
    params: [tenantId, checklistId, text],
  }),
  countItems: (tenantId: string, checklistId: string): Statement => ({
    sql: `SELECT count(*)::int AS n FROM ticket_checklist_items WHERE tenant_id = $1 AND checklist_id = $2`,
    params: [tenantId, checklistId],
  }),
  /** Marks an item done (by whom, now) or not done; sets its text when given. Answers the item as it was before. */
  changeItem: (tenantId: string, checklistId: string, itemId: string, change: { done?: boolean; text?: string }, by: string | null): Statement => ({
    sql: `WITH before AS (SELECT id, text, done_at FROM ticket_checklist_items WHERE tenant_id = $1 AND checklist_id = $2 AND id = $3 FOR UPDATE),
               changed AS (UPDATE ticket_checklist_items i SET
                   done_at = CASE WHEN $4::boolean IS NULL THEN i.done_at WHEN $4 THEN coalesce(i.done_at, now()) ELSE NULL END,
                   done_by = CASE WHEN $4::boolean IS NULL THEN i.done_by WHEN $4 THEN CASE WHEN i.done_at IS NULL THEN $6::uuid ELSE i.done_by END ELSE NULL END,
                   text = coalesce($5, i.text)
                 FROM before b WHERE i.tenant_id = $1 AND i.id = b.id RETURNING i.id)
          SELECT b.id, b.text, b.done_at FROM before b, changed`,
    params: [tenantId, checklistId, itemId, change.done ?? null, change.text ?? null, by],
  }),
  deleteItem: (tenantId: string, checklistId: string, itemId: string): Statement => ({
    sql: `WITH gone AS (DELETE FROM ticket_checklist_items WHERE tenant_id = $1 AND checklist_id = $2 AND id = $3 RETURNING text) SELECT text FROM gone`,
    params: [tenantId, checklistId, itemId],
  }),
};
