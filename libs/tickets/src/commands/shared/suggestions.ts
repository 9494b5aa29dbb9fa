import type { GatewayResult } from '@switchboard/ai-gateway';
import { notFound, type TenantTx } from '@switchboard/platform';
import { assertAssistAllowed } from '../../domain/groups';
import { inputsHash } from '../../domain/suggestion';
import type { GroupsRepository } from '../../repositories/groups.repository';
import type { AiAssist } from '../../repositories/groups.sql';
import type { MessagesRepository } from '../../repositories/messages.repository';
import type { MessageView } from '../../repositories/messages.sql';
import type { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionKind, SuggestionView } from '../../repositories/suggestions.sql';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { AiSuggestionAccepted, AiSuggestionCreated, AiSuggestionRejected } from '../../tickets.context';

/**
 * Steps the AI-assist commands share (summarize, draft, triage; accept, reject). Plain functions
 * over the repositories the calling handler was given, so the handler's unit test sees their
 * audit entries and events.
 */

/** What a prompt is made of: the ticket as read, and its conversation oldest → newest. */
export interface AssistInputs {
  ticket: TicketView;
  messages: MessageView[];
  /** Tags this tenant uses most, as the vocabulary triage chooses from. */
  knownTags: string[];
  /** The tenant's groups, as the choices triage routes to (triage only). */
  groups: { id: string; name: string; description: string | null }[];
}

/** Triage offers at most this many groups (by name) to the model. */
const TRIAGE_GROUPS = 50;

const RECENT_MESSAGES = 200;

/**
 * One short read: the ticket, its first message and the newest ones (older middle messages would
 * not fit a prompt anyway), and the tenant's most used tags and its groups when triage needs them.
 * The ticket's group may have switched the assist off (its AI posture): refused before any model call.
 */
export async function readAssistInputs(
  tx: TenantTx,
  repos: { tickets: TicketsRepository; messages: MessagesRepository; groups: GroupsRepository },
  ticketId: string,
  assist: AiAssist,
): Promise<AssistInputs> {
  const ticket = await repos.tickets.find(tx, ticketId);
  if (!ticket) throw notFound('Ticket', ticketId);
  if (ticket.groupId) assertAssistAllowed(await repos.groups.find(tx, ticket.groupId), assist);
  const triage = assist === 'triage';
  const [messages, knownTags, groups] = await Promise.all([
    repos.messages.firstAndRecent(tx, ticketId, RECENT_MESSAGES),
    triage ? repos.tickets.knownTags(tx) : [],
    triage ? repos.groups.names(tx, TRIAGE_GROUPS) : [],
  ]);
  return { ticket, messages, knownTags, groups };
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
  /** Every metered call that went into it (a retried answer has two); default: the result's. */
  usageIds?: string[];
}

/**
 * Stores a suggestion with its audit entry and event. A new pending suggestion supersedes the
 * ticket's older pending ones of the same kind, so agents only ever decide the latest.
 */
export async function storeSuggestion(
  tx: TenantTx,
  repos: { tickets: TicketsRepository; suggestions: SuggestionsRepository },
  s: NewSuggestion,
): Promise<SuggestionView> {
  const c = tx.context;
  const ticketId = s.ticket.id;
  if (!(await repos.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
  const superseded = s.status === 'pending' ? await repos.suggestions.supersedePending(tx, ticketId, s.kind) : [];
  const view = await repos.suggestions.insert(tx, {
    ticketId,
    kind: s.kind,
    status: s.status,
    requestedBy: { type: c.actorType ?? 'system', id: c.actorId },
    provider: s.result.provider,
    model: s.result.model,
    extractive: s.result.extractive === true,
    inputsHash: inputsHash(s.kind, { ...s.variables }),
    output: s.output,
    confidence: s.confidence,
    ticketVersion: s.ticket.version,
    usageId: s.result.usageId,
    usageIds: s.usageIds ?? (s.result.usageId ? [s.result.usageId] : []),
    requestId: c.correlationId,
  });
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

/** Marks the suggestion decided (the caller has locked it and checked it is pending), with its audit entry and event. */
export async function recordDecision(
  tx: TenantTx,
  suggestions: SuggestionsRepository,
  s: SuggestionView,
  decision: 'accepted' | 'rejected',
  reason: string | null,
  applied: Record<string, unknown> | null,
): Promise<SuggestionView> {
  const c = tx.context;
  const view = await suggestions.decide(tx, s.ticketId, s.id, { status: decision, decidedBy: { type: c.actorType ?? 'system', id: c.actorId }, reason, applied });
  const action = decision === 'accepted' ? 'ticket.ai_suggestion_accepted' : 'ticket.ai_suggestion_rejected';
  await tx.audit({ action, entityType: 'ticket_ai_suggestion', entityId: s.id, before: { status: s.status }, after: { status: view.status, ticketId: s.ticketId, kind: s.kind, reason, applied } });
  await tx.emit(
    (decision === 'accepted' ? AiSuggestionAccepted : AiSuggestionRejected).of(s.ticketId, { suggestionId: s.id, kind: s.kind, provider: s.provider, model: s.model, confidence: s.confidence, reason, applied }),
  );
  return view;
}
