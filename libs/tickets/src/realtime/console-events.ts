/**
 * The tickets context's part of the agent console's wire contract (`/agents` namespace): what each
 * ticket event a console receives carries. The mapping from domain events is in tickets.context.ts;
 * the platform adds eventId, occurredAt and actorId. Documented for client authors in docs/realtime.md.
 */
import type { ConsoleEventBase, PayloadOf } from '@switchboard/platform';
import type { MessageView } from '../repositories/messages.sql';
import type { AiSuggestionAccepted, AiSuggestionCreated, AttachmentAdded, FieldDelta, GroupCreated, GroupDeleted, GroupMembershipChanged, GroupUpdated, ParticipantsChanged, ChecklistChanged, CsatRated, ExternalLinkChanged, TimeEntryDeleted, TimeEntryUpdated, TimeLogged, TimerStarted, TimerStopped, TicketDeleted, TicketFieldChanged, TicketFormChanged, TicketSnapshot, MacroApplied, TicketMerged } from '../tickets.context';

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
export type TicketParticipantsChangedEvent = TicketSideEventBase & PayloadOf<typeof ParticipantsChanged>;
export type TicketAttachmentAddedEvent = TicketSideEventBase & PayloadOf<typeof AttachmentAdded>;
/** `ticketVersion`: the version the suggestion was made for; `superseded`: older pending suggestions of its kind it replaced. */
export type TicketAiSuggestionCreatedEvent = TicketSideEventBase & PayloadOf<typeof AiSuggestionCreated>;
/** `applied`: what accepting changed (fields, or the reply added); null for a rejection. */
export type TicketAiSuggestionDecidedEvent = TicketSideEventBase & PayloadOf<typeof AiSuggestionAccepted>;

/** The ticket was deleted: consoles drop it (no content, only who and when). */
export type TicketDeletedEvent = TicketEventBase & Omit<PayloadOf<typeof TicketDeleted>, 'version'>;

/** A ticket group changed (its profile, existence or members): consoles refresh group pickers and filters. */
export interface GroupEventBase extends ConsoleEventBase {
  groupId: string;
}
export type GroupCreatedEvent = GroupEventBase & PayloadOf<typeof GroupCreated>;
export type GroupUpdatedEvent = GroupEventBase & PayloadOf<typeof GroupUpdated>;
export type GroupDeletedEvent = GroupEventBase & PayloadOf<typeof GroupDeleted>;
export type GroupMembershipChangedEvent = GroupEventBase & PayloadOf<typeof GroupMembershipChanged>;

/** Time logged on a ticket, changed or removed (every console of the tenant); an agent's own timer (their consoles only). */
export type TicketTimeLoggedEvent = TicketSideEventBase & PayloadOf<typeof TimeLogged>;
export type TicketTimeEntryUpdatedEvent = TicketSideEventBase & PayloadOf<typeof TimeEntryUpdated>;
export type TicketTimeEntryDeletedEvent = TicketSideEventBase & PayloadOf<typeof TimeEntryDeleted>;
export type TimerStartedEvent = TicketSideEventBase & PayloadOf<typeof TimerStarted>;
export type TimerStoppedEvent = TicketSideEventBase & PayloadOf<typeof TimerStopped>;

/** A checklist changed (`op`), with the checklist as it is now (null once deleted); a link to outside work changed. */
export type TicketChecklistChangedEvent = TicketSideEventBase & PayloadOf<typeof ChecklistChanged>;
export type TicketExternalLinkChangedEvent = TicketSideEventBase & PayloadOf<typeof ExternalLinkChanged>;

/** The requester rated the ticket, or changed their rating (`changed`), through its survey link. */
export type TicketCsatRatedEvent = TicketSideEventBase & PayloadOf<typeof CsatRated>;

/** A macro ran on the ticket (its field changes and messages arrive as their own events). */
export type TicketMacroAppliedEvent = TicketEventBase & Omit<PayloadOf<typeof MacroApplied>, 'version'>;
/** The ticket was merged into `targetId` and closed: consoles show "merged into #targetNumber" and follow the link. */
export type TicketMergedEvent = TicketEventBase & Omit<PayloadOf<typeof TicketMerged>, 'version'>;
/** A custom ticket field or a ticket form was created, changed or deleted: consoles refresh labels and pickers. */
export type TicketFieldChangedEvent = ConsoleEventBase & PayloadOf<typeof TicketFieldChanged>;
export type TicketFormChangedEvent = ConsoleEventBase & PayloadOf<typeof TicketFormChanged>;

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
  'ticket.deleted': TicketDeletedEvent;
  'ticket.time_logged': TicketTimeLoggedEvent;
  'ticket.time_entry_updated': TicketTimeEntryUpdatedEvent;
  'ticket.time_entry_deleted': TicketTimeEntryDeletedEvent;
  'ticket.checklist_changed': TicketChecklistChangedEvent;
  'ticket.external_link_changed': TicketExternalLinkChangedEvent;
  'ticket.csat_rated': TicketCsatRatedEvent;
  'ticket.macro_applied': TicketMacroAppliedEvent;
  'ticket.merged': TicketMergedEvent;
  'timer.started': TimerStartedEvent;
  'timer.stopped': TimerStoppedEvent;
  'group.created': GroupCreatedEvent;
  'group.updated': GroupUpdatedEvent;
  'group.deleted': GroupDeletedEvent;
  'group.membership_changed': GroupMembershipChangedEvent;
  'ticket_field.changed': TicketFieldChangedEvent;
  'ticket_form.changed': TicketFormChangedEvent;
}
