import type { Statement } from '@switchboard/platform';

/** AI suggestions on a ticket (summary, draft, triage) and what agents decided. SuggestionsRepository executes these. */
export const SUGGESTION_KINDS = ['summary', 'draft', 'triage'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];
/** `superseded`: a newer suggestion of the same kind replaced it before anyone decided; `invalid`: the model's answer failed validation. */
export const SUGGESTION_STATUSES = ['pending', 'accepted', 'rejected', 'superseded', 'invalid'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

export interface SuggestionView {
  id: string;
  ticketId: string;
  kind: SuggestionKind;
  status: SuggestionStatus;
  output: Record<string, unknown>;
  confidence: number | null;
  provider: string;
  model: string;
  extractive: boolean;
  inputsHash: string;
  ticketVersion: number;
  requestedBy: { type: string; id: string | null };
  /** The last metered call's usage row (the answer kept). */
  usageId: string | null;
  /** Every metered call that went into the suggestion, in order (a retried answer has two). */
  usageIds: string[];
  requestId: string | null;
  decidedBy: { type: string; id: string | null } | null;
  decidedAt: string | null;
  reason: string | null;
  applied: Record<string, unknown> | null;
  createdAt: string;
}

export interface SuggestionRow {
  id: string;
  ticket_id: string;
  kind: SuggestionKind;
  status: SuggestionStatus;
  output: Record<string, unknown>;
  confidence: string | null;
  provider: string;
  model: string;
  extractive: boolean;
  inputs_hash: string;
  ticket_version: number;
  requested_by_type: string;
  requested_by: string | null;
  usage_id: string | null;
  usage_ids: string[];
  request_id: string | null;
  decided_by_type: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  applied: Record<string, unknown> | null;
  created_at: Date;
}

export const SUGGESTION_COLUMNS =
  'id, ticket_id, kind, status, output, confidence, provider, model, extractive, inputs_hash, ticket_version, requested_by_type, requested_by, usage_id, usage_ids, request_id, decided_by_type, decided_by, decided_at, reason, applied, created_at';

export const toSuggestionView = (r: SuggestionRow): SuggestionView => ({
  id: r.id,
  ticketId: r.ticket_id,
  kind: r.kind,
  status: r.status,
  output: r.output,
  confidence: r.confidence === null ? null : Number(r.confidence),
  provider: r.provider,
  model: r.model,
  extractive: r.extractive,
  inputsHash: r.inputs_hash.trim(),
  ticketVersion: r.ticket_version,
  requestedBy: { type: r.requested_by_type, id: r.requested_by },
  usageId: r.usage_id,
  usageIds: r.usage_ids,
  requestId: r.request_id,
  decidedBy: r.decided_by_type ? { type: r.decided_by_type, id: r.decided_by } : null,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  reason: r.reason,
  applied: r.applied,
  createdAt: new Date(r.created_at).toISOString(),
});

export interface NewSuggestionRow {
  ticketId: string;
  kind: SuggestionKind;
  status: 'pending' | 'invalid';
  requestedBy: { type: string; id: string | null };
  provider: string;
  model: string;
  extractive: boolean;
  inputsHash: string;
  output: Record<string, unknown>;
  confidence: number | null;
  ticketVersion: number;
  usageId: string | null;
  usageIds: string[];
  requestId: string | null;
}

export interface SuggestionDecisionRow {
  status: 'accepted' | 'rejected';
  decidedBy: { type: string; id: string | null };
  reason: string | null;
  applied: Record<string, unknown> | null;
}

/** Per kind, how many suggestions were created in a range and what became of them. */
export interface SuggestionCountsRow {
  kind: SuggestionKind;
  created: number;
  accepted: number;
  acceptedWithEdits: number;
  rejected: number;
  pending: number;
  superseded: number;
  invalid: number;
}

export const suggestionSql = {
  /** Only if it belongs to this ticket of this tenant. */
  byId: (tenantId: string, ticketId: string, id: string, lock = false): Statement => ({
    sql: `SELECT ${SUGGESTION_COLUMNS} FROM ticket_ai_suggestions WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3${lock ? ' FOR UPDATE' : ''}`,
    params: [tenantId, ticketId, id],
  }),

  /** Newest first, one more than `limit`; `before` is the (created_at, id) of the last one seen. */
  page: (
    tenantId: string,
    ticketId: string,
    page: { limit: number; kind?: SuggestionKind; status?: SuggestionStatus; before?: readonly [at: string, id: string] },
  ): Statement => {
    const params: unknown[] = [tenantId, ticketId, page.limit + 1];
    let where = '';
    if (page.kind) where += ` AND kind = $${params.push(page.kind)}`;
    if (page.status) where += ` AND status = $${params.push(page.status)}`;
    if (page.before) {
      const [at, id] = page.before;
      where += ` AND (created_at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    return {
      sql: `SELECT ${SUGGESTION_COLUMNS} FROM ticket_ai_suggestions WHERE tenant_id = $1 AND ticket_id = $2${where} ORDER BY created_at DESC, id DESC LIMIT $3`,
      params,
    };
  },

  /** Marks the ticket's pending suggestions of a kind superseded; answers their ids. */
  supersedePending: (tenantId: string, ticketId: string, kind: SuggestionKind): Statement => ({
    sql: `UPDATE ticket_ai_suggestions SET status = 'superseded' WHERE tenant_id = $1 AND ticket_id = $2 AND kind = $3 AND status = 'pending' RETURNING id`,
    params: [tenantId, ticketId, kind],
  }),

  insert: (tenantId: string, s: NewSuggestionRow): Statement => ({
    sql: `INSERT INTO ticket_ai_suggestions (tenant_id, ticket_id, kind, status, requested_by_type, requested_by, provider, model, extractive, inputs_hash, output, confidence, ticket_version, usage_id, usage_ids, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15::uuid[], $16) RETURNING ${SUGGESTION_COLUMNS}`,
    params: [
      tenantId,
      s.ticketId,
      s.kind,
      s.status,
      s.requestedBy.type,
      s.requestedBy.id,
      s.provider,
      s.model,
      s.extractive,
      s.inputsHash,
      JSON.stringify(s.output),
      s.confidence,
      s.ticketVersion,
      s.usageId,
      s.usageIds,
      s.requestId,
    ],
  }),

  decide: (tenantId: string, ticketId: string, id: string, d: SuggestionDecisionRow): Statement => ({
    sql: `UPDATE ticket_ai_suggestions SET status = $4, decided_by_type = $5, decided_by = $6, decided_at = now(), reason = $7, applied = $8::jsonb
      WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3 RETURNING ${SUGGESTION_COLUMNS}`,
    params: [tenantId, ticketId, id, d.status, d.decidedBy.type, d.decidedBy.id, d.reason, d.applied === null ? null : JSON.stringify(d.applied)],
  }),

  /** Suggestions created in [from, to), counted per kind by status. */
  counts: (tenantId: string, from: Date, to: Date): Statement => ({
    sql: `SELECT kind,
                count(*)::int AS created,
                (count(*) FILTER (WHERE status = 'accepted'))::int AS accepted,
                (count(*) FILTER (WHERE status = 'accepted' AND (applied->>'edited')::boolean))::int AS "acceptedWithEdits",
                (count(*) FILTER (WHERE status = 'rejected'))::int AS rejected,
                (count(*) FILTER (WHERE status = 'pending'))::int AS pending,
                (count(*) FILTER (WHERE status = 'superseded'))::int AS superseded,
                (count(*) FILTER (WHERE status = 'invalid'))::int AS invalid
           FROM ticket_ai_suggestions
          WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
          GROUP BY kind`,
    params: [tenantId, from, to],
  }),
};
