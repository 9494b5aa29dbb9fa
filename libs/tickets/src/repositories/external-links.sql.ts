import type { Statement } from '@switchboard/platform';

export const LINK_KINDS = ['task', 'agent_session'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** What an integration sends about a piece of work tracked elsewhere; fields that do not apply to its kind stay null. */
export interface ExternalLinkFields {
  kind: LinkKind;
  system: string;
  externalId: string;
  title: string | null;
  status: string | null;
  url: string | null;
  /** task */
  dueAt: string | null;
  assignee: string | null;
  /** agent_session */
  agentKey: string | null;
  purpose: string | null;
  outcome: string | null;
  confidence: number | null;
}

export interface ExternalLinkView extends ExternalLinkFields {
  id: string;
  ticketId: string;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface LinkRow {
  id: string;
  ticket_id: string;
  kind: LinkKind;
  system: string;
  external_id: string;
  title: string | null;
  status: string | null;
  url: string | null;
  due_at: Date | null;
  assignee: string | null;
  agent_key: string | null;
  purpose: string | null;
  outcome: string | null;
  confidence: number | null;
  updated_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  inserted?: boolean;
}

const COLUMNS = 'id, ticket_id, kind, system, external_id, title, status, url, due_at, assignee, agent_key, purpose, outcome, confidence, updated_by, created_at, updated_at, version';
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export const toExternalLinkView = (r: LinkRow): ExternalLinkView => ({
  id: r.id,
  ticketId: r.ticket_id,
  kind: r.kind,
  system: r.system,
  externalId: r.external_id,
  title: r.title,
  status: r.status,
  url: r.url,
  dueAt: iso(r.due_at),
  assignee: r.assignee,
  agentKey: r.agent_key,
  purpose: r.purpose,
  outcome: r.outcome,
  confidence: r.confidence === null ? null : Math.round(Number(r.confidence) * 1000) / 1000,
  updatedBy: r.updated_by,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  version: r.version,
});

export const externalLinksSql = {
  /** Inserts or replaces the link named by (ticket, kind, system, external id); answers it and whether it is new. */
  upsert: (tenantId: string, ticketId: string, f: ExternalLinkFields, by: string | null): Statement => ({
    sql: `INSERT INTO ticket_external_links AS l (tenant_id, ticket_id, kind, system, external_id, title, status, url, due_at, assignee, agent_key, purpose, outcome, confidence, updated_by)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
          ON CONFLICT (tenant_id, ticket_id, kind, system, external_id) DO UPDATE SET
            title = EXCLUDED.title, status = EXCLUDED.status, url = EXCLUDED.url, due_at = EXCLUDED.due_at, assignee = EXCLUDED.assignee,
            agent_key = EXCLUDED.agent_key, purpose = EXCLUDED.purpose, outcome = EXCLUDED.outcome, confidence = EXCLUDED.confidence,
            updated_by = EXCLUDED.updated_by, updated_at = now(), version = l.version + 1
          RETURNING ${COLUMNS}, (xmax = 0) AS inserted`,
    params: [tenantId, ticketId, f.kind, f.system, f.externalId, f.title, f.status, f.url, f.dueAt, f.assignee, f.agentKey, f.purpose, f.outcome, f.confidence, by],
  }),
  ofTicket: (tenantId: string, ticketId: string): Statement => ({
    sql: `SELECT ${COLUMNS} FROM ticket_external_links WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY updated_at DESC, id LIMIT 200`,
    params: [tenantId, ticketId],
  }),
  delete: (tenantId: string, ticketId: string, id: string): Statement => ({
    sql: `WITH gone AS (DELETE FROM ticket_external_links WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3 RETURNING kind, system, external_id) SELECT * FROM gone`,
    params: [tenantId, ticketId, id],
  }),
};

export type { LinkRow };
