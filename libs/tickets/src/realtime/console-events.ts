/**
 * The tickets context's part of the agent console's wire contract (`/agents` namespace): what each
 * ticket event a console receives carries. The mapping from domain events is in tickets.context.ts;
 * the platform adds eventId, occurredAt and actorId. Documented for client authors in docs/realtime.md.
 */
import type { ConsoleEventBase } from '@switchboard/platform';
import type { MessageView } from '../repositories/messages.sql';
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

/** Console event name → what it carries. */
export interface TicketConsoleEvents {
  'ticket.created': TicketCreatedEvent;
  'ticket.updated': TicketUpdatedEvent;
  'ticket.message_added': TicketMessageAddedEvent;
  'ticket.assigned': TicketAssignedEvent;
  'ticket.status_changed': TicketStatusChangedEvent;
}
