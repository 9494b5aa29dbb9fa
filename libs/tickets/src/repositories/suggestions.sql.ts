import { createHash } from 'node:crypto';
import type { GatewayResult } from '@switchboard/ai-gateway';
import { notFound, ProblemException, type TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import { MESSAGE_COLUMNS, toMessageView, type MessageRow } from '../commands/add-message/add-message.handler';
import type { MessageView } from '../commands/add-message/add-message.command';
import { loadTicket, type TicketView } from './tickets.sql';
import { AiSuggestionAccepted, AiSuggestionCreated, AiSuggestionRejected } from '../tickets.context';

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
  usageId: string | null;
  requestId: string | null;
  decidedBy: { type: string; id: string | null } | null;
  decidedAt: string | null;
  reason: string | null;
  applied: Record<string, unknown> | null;
  createdAt: string;
}

interface SuggestionRow {
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
  request_id: string | null;
  decided_by_type: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  applied: Record<string, unknown> | null;
  created_at: Date;
}

export const SUGGESTION_COLUMNS =
  'id, ticket_id, kind, status, output, confidence, provider, model, extractive, inputs_hash, ticket_version, requested_by_type, requested_by, usage_id, request_id, decided_by_type, decided_by, decided_at, reason, applied, created_at';

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
  requestId: r.request_id,
  decidedBy: r.decided_by_type ? { type: r.decided_by_type, id: r.decided_by } : null,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  reason: r.reason,
  applied: r.applied,
  createdAt: new Date(r.created_at).toISOString(),
});

/** The suggestion, only if it belongs to this ticket of this tenant (anything else is a 404). */
export async function loadSuggestion(m: EntityManager, tenantId: string, ticketId: string, id: string, lock = false): Promise<SuggestionView> {
  const rows: SuggestionRow[] = await m.query(
    `SELECT ${SUGGESTION_COLUMNS} FROM ticket_ai_suggestions WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, ticketId, id],
  );
  if (!rows[0]) throw notFound('AI suggestion', id);
  return toSuggestionView(rows[0]);
}

export async function listSuggestionRows(m: EntityManager, sql: string, params: unknown[]): Promise<SuggestionView[]> {
  const rows: SuggestionRow[] = await m.query(sql, params);
  return rows.map(toSuggestionView);
}

/** Deciding twice, or deciding what nobody can decide any more, is a conflict. */
export function assertPending(s: SuggestionView): void {
  if (s.status === 'pending') return;
  const why =
    s.status === 'superseded'
      ? 'a newer suggestion of the same kind replaced it; decide that one'
      : s.status === 'invalid'
        ? 'the model’s answer was invalid, so there is nothing to apply'
        : `it was already ${s.status}${s.decidedAt ? ` at ${s.decidedAt}` : ''}`;
  throw new ProblemException({
    status: 409,
    type: 'suggestion-already-decided',
    title: 'Conflict',
    detail: `This ${s.kind} suggestion cannot be decided: ${why}.`,
    extensions: { suggestionStatus: s.status },
  });
}

/** What a prompt is made of: the ticket as read, and its conversation oldest → newest. */
export interface AssistInputs {
  ticket: TicketView;
  messages: MessageView[];
  /** Tags this tenant uses most, as the vocabulary triage chooses from. */
  knownTags: string[];
}

const RECENT_MESSAGES = 200;

/**
 * One short read: the ticket, its first message and the newest ones (older middle messages would
 * not fit a prompt anyway), and the tenant's most used tags when triage needs them.
 */
export async function loadAssistInputs(tx: TenantTx, ticketId: string, withTags: boolean): Promise<AssistInputs> {
  const m = tx.manager;
  const ticket = await loadTicket(m, tx.tenantId, ticketId);
  if (!ticket) throw notFound('Ticket', ticketId);
  const rows: MessageRow[] = await m.query(
    `(SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at, id LIMIT 1)
     UNION
     (SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3)
     ORDER BY created_at, id`,
    [tx.tenantId, ticketId, RECENT_MESSAGES],
  );
  let knownTags: string[] = [];
  if (withTags) {
    const tags: { tag: string }[] = await m.query(
      `SELECT tag FROM (SELECT unnest(tags) AS tag FROM tickets WHERE tenant_id = $1 ORDER BY updated_at DESC LIMIT 2000) t
        GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 50`,
      [tx.tenantId],
    );
    knownTags = tags.map((t) => t.tag);
  }
  return { ticket, messages: rows.map(toMessageView), knownTags };
}

/** sha256 over the prompt variables in a stable key order: equal inputs, equal hash. */
export function inputsHash(kind: SuggestionKind, variables: Record<string, unknown>): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stable) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify({ kind, variables: stable(variables) })).digest('hex');
}

export interface NewSuggestion {
  /** The ticket as the assist read it: the suggestion is for this version. */
  ticket: { id: string; version: number };
  kind: SuggestionKind;
  status: 'pending' | 'invalid';
  output: Record<string, unknown>;
  confidence: number | null;
  /** What the prompt was rendered from; stored as its hash. */
  variables: object;
  result: Pick<GatewayResult, 'provider' | 'model' | 'extractive' | 'usageId'>;
}

/**
 * Stores a suggestion with its audit entry and event. A new pending suggestion supersedes the
 * ticket's older pending ones of the same kind, so agents only ever decide the latest.
 */
export async function storeSuggestion(tx: TenantTx, s: NewSuggestion): Promise<SuggestionView> {
  const c = tx.context;
  const ticketId = s.ticket.id;
  if (!(await loadTicket(tx.manager, tx.tenantId, ticketId))) throw notFound('Ticket', ticketId);
  let superseded: string[] = [];
  if (s.status === 'pending') {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [rows]: [{ id: string }[], number] = await tx.manager.query(
      `UPDATE ticket_ai_suggestions SET status = 'superseded' WHERE tenant_id = $1 AND ticket_id = $2 AND kind = $3 AND status = 'pending' RETURNING id`,
      [tx.tenantId, ticketId, s.kind],
    );
    superseded = rows.map((r) => r.id);
  }
  const [row]: SuggestionRow[] = await tx.manager.query(
    `INSERT INTO ticket_ai_suggestions (tenant_id, ticket_id, kind, status, requested_by_type, requested_by, provider, model, extractive, inputs_hash, output, confidence, ticket_version, usage_id, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, $14, $15) RETURNING ${SUGGESTION_COLUMNS}`,
    [
      tx.tenantId,
      ticketId,
      s.kind,
      s.status,
      c.actorType ?? 'system',
      c.actorId,
      s.result.provider,
      s.result.model,
      s.result.extractive === true,
      inputsHash(s.kind, { ...s.variables }),
      JSON.stringify(s.output),
      s.confidence,
      s.ticket.version,
      s.result.usageId,
      c.correlationId,
    ],
  );
  const view = toSuggestionView(row);
  await tx.audit({
    action: 'ticket.ai_suggestion_created',
    entityType: 'ticket_ai_suggestion',
    entityId: view.id,
    after: { ticketId: view.ticketId, kind: view.kind, status: view.status, provider: view.provider, model: view.model, confidence: view.confidence, ticketVersion: view.ticketVersion, inputsSha256: view.inputsHash },
  });
  await tx.emit(
    AiSuggestionCreated.of(view.ticketId, { suggestionId: view.id, kind: view.kind, status: view.status, provider: view.provider, model: view.model, confidence: view.confidence, ticketVersion: view.ticketVersion, superseded }),
  );
  return view;
}

/** Marks the suggestion decided (the caller has locked it and checked it is pending). */
export async function recordDecision(
  tx: TenantTx,
  s: SuggestionView,
  decision: 'accepted' | 'rejected',
  reason: string | null,
  applied: Record<string, unknown> | null,
): Promise<SuggestionView> {
  const c = tx.context;
  const [[row]]: [SuggestionRow[], number] = await tx.manager.query(
    `UPDATE ticket_ai_suggestions SET status = $4, decided_by_type = $5, decided_by = $6, decided_at = now(), reason = $7, applied = $8::jsonb
      WHERE tenant_id = $1 AND ticket_id = $2 AND id = $3 RETURNING ${SUGGESTION_COLUMNS}`,
    [tx.tenantId, s.ticketId, s.id, decision, c.actorType ?? 'system', c.actorId, reason, applied === null ? null : JSON.stringify(applied)],
  );
  const view = toSuggestionView(row);
  const action = decision === 'accepted' ? 'ticket.ai_suggestion_accepted' : 'ticket.ai_suggestion_rejected';
  await tx.audit({ action, entityType: 'ticket_ai_suggestion', entityId: s.id, before: { status: s.status }, after: { status: view.status, ticketId: s.ticketId, kind: s.kind, reason, applied } });
  await tx.emit(
    (decision === 'accepted' ? AiSuggestionAccepted : AiSuggestionRejected).of(s.ticketId, { suggestionId: s.id, kind: s.kind, provider: s.provider, model: s.model, confidence: s.confidence, reason, applied }),
  );
  return view;
}
