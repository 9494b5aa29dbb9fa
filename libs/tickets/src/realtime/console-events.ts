/**
 * The tickets context's part of the agent console's wire contract (`/agents` namespace): what each
 * ticket event a console receives carries. The mapping from domain events is in tickets.context.ts;
 * the platform adds eventId, occurredAt and actorId. Documented for client authors in docs/realtime.md.
 */
import type { ConsoleEventBase } from '@switchboard/platform';
import type { MessageView } from '../repositories/messages.sql';
import type { ParticipantRole } from '../repositories/participants.sql';
import type { SuggestionKind, SuggestionStatus } from '../repositories/suggestions.sql';
import type { FieldDelta, TicketSnapshot } from '../tickets.context';

export interface TicketEventBase extends ConsoleEventBase {
  ticketId: string;
  /** The ticket's version after the change; apply when ≥ the version you hold. */
  version: number;
}

export interface TicketCreatedEvent extends TicketEventBase {
  ticket: TicketSnapshot;
}
export interface TicketUpdatedEvent extends TicketEventBase {
  /** Only the fields that changed, each with its old and new value. */
  delta: FieldDelta;
}
export interface TicketMessageAddedEvent extends TicketEventBase {
  message: MessageView;
}
export interface TicketAssignedEvent extends TicketEventBase {
  from: string | null;
  to: string | null;
}
export interface TicketStatusChangedEvent extends TicketEventBase {
  from: string;
  to: string;
}

/**
 * Events beside the ticket (participants, attachments, AI suggestions): they do not change the
 * ticket's fields, so they carry no version; apply each once by its eventId.
 */
export interface TicketSideEventBase extends ConsoleEventBase {
  ticketId: string;
}
export interface TicketParticipantsChangedEvent extends TicketSideEventBase {
  role: ParticipantRole;
  participantId: string;
  action: 'add' | 'remove';
}
export interface TicketAttachmentAddedEvent extends TicketSideEventBase {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}
export interface TicketAiSuggestionCreatedEvent extends TicketSideEventBase {
  suggestionId: string;
  kind: SuggestionKind;
  status: SuggestionStatus;
  provider: string;
  model: string;
  confidence: number | null;
  /** The ticket version the suggestion was made for. */
  ticketVersion: number;
  /** Ids of older pending suggestions of the same kind this one replaced. */
  superseded: string[];
}
export interface TicketAiSuggestionDecidedEvent extends TicketSideEventBase {
  suggestionId: string;
  kind: SuggestionKind;
  provider: string;
  model: string;
  confidence: number | null;
  reason: string | null;
  /** What accepting changed (fields, or the reply added); null for a rejection. */
  applied: Record<string, unknown> | null;
}

/** Console event name → what it carries. */
export interface TicketConsoleEvents {
  'ticket.created': TicketCreatedEvent;
  'ticket.updated': TicketUpdatedEvent;
  'ticket.message_added': TicketMessageAddedEvent;
  'ticket.assigned': TicketAssignedEvent;
  'ticket.status_changed': TicketStatusChangedEvent;
  'ticket.participants_changed': TicketParticipantsChangedEvent;
  'ticket.attachment_added': TicketAttachmentAddedEvent;
  'ticket.ai_suggestion_created': TicketAiSuggestionCreatedEvent;
  'ticket.ai_suggestion_accepted': TicketAiSuggestionDecidedEvent;
  'ticket.ai_suggestion_rejected': TicketAiSuggestionDecidedEvent;
}
