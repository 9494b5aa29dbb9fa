import { consoleEvent, defineContext, defineEvent, type EventEnvelope, type QueueDefinition } from '@switchboard/platform';
import { CHANNEL_CONSOLE_EVENTS, CHANNEL_EVENTS, CHANNEL_JOBS, CHANNEL_QUEUES, CHANNEL_SCHEDULES, channelsConfig } from './channels/channels.registration';
import type { MessageView } from './repositories/messages.sql';
import type { ParticipantRole } from './repositories/participants.sql';
import type { Status } from './domain/ticket';
import type { TicketView } from './repositories/tickets.sql';
import type { SuggestionKind, SuggestionStatus } from './repositories/suggestions.sql';

/** A ticket as events and consoles carry it: the view without its bookkeeping fields. */
export type TicketSnapshot = Omit<TicketView, 'createdAt' | 'updatedAt' | 'version'>;
export type FieldDelta = Record<string, { from: unknown; to: unknown }>;

/** Every ticket event that consoles see carries the ticket's version after the change. */
export const TicketCreated = defineEvent<{ ticket: TicketSnapshot; version: number }>()('tickets.ticket_created', { aggregate: 'ticket' });
export const TicketUpdated = defineEvent<{ delta: FieldDelta; version: number }>()('tickets.ticket_updated', { aggregate: 'ticket' });
export const TicketStatusChanged = defineEvent<{ from: Status; to: Status; version: number }>()('tickets.ticket_status_changed', { aggregate: 'ticket' });
export const TicketAssigned = defineEvent<{ from: string | null; to: string | null; version: number }>()('tickets.ticket_assigned', { aggregate: 'ticket' });
export const MessageAdded = defineEvent<{ message: MessageView; version: number }>()('tickets.message_added', { aggregate: 'ticket' });
export const AttachmentAdded = defineEvent<{ id: string; filename: string; contentType: string; size: number }>()('tickets.attachment_added', { aggregate: 'ticket' });
export const ParticipantsChanged = defineEvent<{ role: ParticipantRole; participantId: string; action: 'add' | 'remove' }>()('tickets.participants_changed', { aggregate: 'ticket' });
export const AiSuggestionCreated = defineEvent<{
  suggestionId: string;
  kind: SuggestionKind;
  status: SuggestionStatus;
  provider: string;
  model: string;
  confidence: number | null;
  ticketVersion: number;
  superseded: string[];
}>()('tickets.ai_suggestion_created', { aggregate: 'ticket' });
type SuggestionDecision = {
  suggestionId: string;
  kind: SuggestionKind;
  provider: string;
  model: string;
  confidence: number | null;
  reason: string | null;
  applied: Record<string, unknown> | null;
};
export const AiSuggestionAccepted = defineEvent<SuggestionDecision>()('tickets.ai_suggestion_accepted', { aggregate: 'ticket' });
export const AiSuggestionRejected = defineEvent<SuggestionDecision>()('tickets.ai_suggestion_rejected', { aggregate: 'ticket' });
/** The ticket is gone for everyone at once; its content is purged by the worker in batches (ADR 0031). No content in the payload. */
export const TicketDeleted = defineEvent<{ number: number; deletedBy: string | null; deletedAt: string; version: number }>()('tickets.ticket_deleted', { aggregate: 'ticket' });

export const TicketsQueue: QueueDefinition = { name: 'tickets', description: 'Tickets following other contexts’ changes (contact merges, erasures) and purging deleted tickets' };

/** The console's ticket events: the payload without its version, plus the ticket id and version (see realtime/console-events.ts). */
const ticketEvent = ({ aggregateId, payload }: EventEnvelope<{ version?: unknown }>): Record<string, unknown> => {
  const { version, ...rest } = payload;
  return { ...rest, ticketId: aggregateId, version: typeof version === 'number' ? version : 0 };
};

/** The console's ticket-side events that do not change the ticket itself: the payload and the ticket id, no version. */
const besideTicketEvent = ({ aggregateId, payload }: EventEnvelope<object>): Record<string, unknown> => ({ ...payload, ticketId: aggregateId });

/** Tickets, their conversation, participants, attachments, history and AI suggestions, and the channels conversations arrive and leave through. */
export const ticketsContext = defineContext({
  name: 'tickets',
  events: [TicketCreated, TicketUpdated, TicketStatusChanged, TicketAssigned, MessageAdded, AttachmentAdded, ParticipantsChanged, AiSuggestionCreated, AiSuggestionAccepted, AiSuggestionRejected, TicketDeleted, ...CHANNEL_EVENTS],
  queues: [TicketsQueue, ...CHANNEL_QUEUES],
  jobs: CHANNEL_JOBS,
  schedules: CHANNEL_SCHEDULES,
  config: channelsConfig,
  consoleEvents: [
    consoleEvent(TicketCreated, 'ticket.created', ticketEvent),
    consoleEvent(TicketUpdated, 'ticket.updated', ticketEvent),
    consoleEvent(MessageAdded, 'ticket.message_added', ticketEvent),
    consoleEvent(TicketAssigned, 'ticket.assigned', ticketEvent),
    consoleEvent(TicketStatusChanged, 'ticket.status_changed', ticketEvent),
    consoleEvent(ParticipantsChanged, 'ticket.participants_changed', besideTicketEvent),
    consoleEvent(AttachmentAdded, 'ticket.attachment_added', besideTicketEvent),
    consoleEvent(AiSuggestionCreated, 'ticket.ai_suggestion_created', besideTicketEvent),
    consoleEvent(AiSuggestionAccepted, 'ticket.ai_suggestion_accepted', besideTicketEvent),
    consoleEvent(AiSuggestionRejected, 'ticket.ai_suggestion_rejected', besideTicketEvent),
    consoleEvent(TicketDeleted, 'ticket.deleted', ticketEvent),
    ...CHANNEL_CONSOLE_EVENTS,
  ],
});
