import { consoleEvent, defineContext, defineEvent, defineRateLimit, type EventEnvelope, type QueueDefinition } from '@switchboard/platform';
import { TicketActivityStats, TicketStorageStats } from './repositories/operator-stats.sql';
import { SLA_CONSOLE_EVENTS, SLA_EVENTS, SLA_JOBS, SLA_QUEUES, SLA_SCHEDULES } from './sla/sla.registration';
import { RULE_CONSOLE_EVENTS, RULE_EVENTS, RULE_JOBS, RULE_SCHEDULES } from './triggers/triggers.registration';
import { CHANNEL_CONSOLE_EVENTS, CHANNEL_EVENTS, CHANNEL_FEATURE_FLAGS, CHANNEL_JOBS, CHANNEL_QUEUES, CHANNEL_SCHEDULES, channelsConfig } from './channels/channels.registration';
import { ASSIGNMENT_CONSOLE_EVENTS, ASSIGNMENT_EVENTS } from './assignment/assignment.registration';
import type { MessageView } from './repositories/messages.sql';
import type { ParticipantRole } from './repositories/participants.sql';
import type { Status } from './domain/ticket';
import type { TicketView } from './repositories/tickets.sql';
import type { GroupView } from './repositories/groups.sql';
import type { ViewView } from './repositories/views.sql';
import type { StatusView } from './repositories/statuses.sql';
import type { TimeEntryView } from './repositories/time.sql';
import type { ChecklistView } from './repositories/checklists.sql';
import type { ExternalLinkView } from './repositories/external-links.sql';
import type { TicketFieldView, TicketFormView } from './repositories/custom-fields.sql';
import type { SuggestionKind, SuggestionStatus } from './repositories/suggestions.sql';
import type { CsatRating, CsatScale } from './domain/csat';

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

/** Ticket groups: their profile and who is in them (consoles refresh group pickers and filters). */
export const GroupCreated = defineEvent<{ group: GroupView }>()('tickets.group_created', { aggregate: 'ticket_group' });
export const GroupUpdated = defineEvent<{ delta: FieldDelta; version: number }>()('tickets.group_updated', { aggregate: 'ticket_group' });
export const GroupDeleted = defineEvent<{ name: string }>()('tickets.group_deleted', { aggregate: 'ticket_group' });
export const GroupMembershipChanged = defineEvent<{ userId: string; action: 'add' | 'remove' }>()('tickets.group_membership_changed', { aggregate: 'ticket_group' });

/** The tenant's custom statuses (consoles refresh their status pickers). */
export const CustomStatusChanged = defineEvent<{ op: 'created' | 'updated' | 'deleted'; status: StatusView | null }>()('tickets.custom_status_changed', { aggregate: 'ticket_status' });

/** Saved views: shared and group views for every console (each filters by what it sees), personal ones for their owner only. */
export const ViewChanged = defineEvent<{ op: 'created' | 'updated' | 'deleted'; view: ViewView | null }>()('tickets.view_changed', { aggregate: 'ticket_view' });
export const PersonalViewChanged = defineEvent<{ op: 'created' | 'updated' | 'deleted'; view: ViewView | null; ownerId: string }>()('tickets.personal_view_changed', { aggregate: 'ticket_view' });

/** Time tracking: entries on the ticket (everyone working it sees them), and an agent's own timer (only they see it). */
export const TimeLogged = defineEvent<{ entry: TimeEntryView }>()('tickets.time_logged', { aggregate: 'ticket' });
export const TimeEntryUpdated = defineEvent<{ entryId: string; userId: string; delta: FieldDelta }>()('tickets.time_entry_updated', { aggregate: 'ticket' });
export const TimeEntryDeleted = defineEvent<{ entryId: string; userId: string; minutes: number }>()('tickets.time_entry_deleted', { aggregate: 'ticket' });
export const TimerStarted = defineEvent<{ userId: string; startedAt: string; activityType: string }>()('tickets.timer_started', { aggregate: 'ticket' });
export const TimerStopped = defineEvent<{ userId: string; entryId: string | null }>()('tickets.timer_stopped', { aggregate: 'ticket' });

/** Checklists on a ticket: one event per change, naming what changed (`op`) and the checklist as it is now. */
export const ChecklistChanged = defineEvent<{ checklistId: string; op: 'added' | 'deleted' | 'item_added' | 'item_done' | 'item_undone' | 'item_renamed' | 'item_removed'; itemId: string | null; checklist: ChecklistView | null }>()(
  'tickets.checklist_changed',
  { aggregate: 'ticket' },
);
/** An integration created or updated a link to work tracked elsewhere (a task, an AI agent session), or removed it. */
export const ExternalLinkChanged = defineEvent<{ link: ExternalLinkView | null; linkId: string; action: 'created' | 'updated' | 'deleted' }>()('tickets.external_link_changed', { aggregate: 'ticket' });

/** Custom ticket fields and ticket forms were created, changed or deleted (consoles refresh their field pickers and ticket pages). */
export const TicketFieldChanged = defineEvent<{ action: 'created' | 'updated' | 'deleted'; field: TicketFieldView; delta: FieldDelta | null }>()('tickets.ticket_field_changed', { aggregate: 'ticket_field' });
export const TicketFormChanged = defineEvent<{ action: 'created' | 'updated' | 'deleted'; form: TicketFormView; delta: FieldDelta | null }>()('tickets.ticket_form_changed', { aggregate: 'ticket_form' });

/** The requester rated the ticket (or changed their rating) through its survey link; `changed` when it replaced an earlier rating. */
export const CsatRated = defineEvent<{ rating: CsatRating; scale: CsatScale; comment: string | null; changed: boolean; assigneeId: string | null; groupId: string | null }>()('tickets.csat_rated', {
  aggregate: 'ticket',
});

/**
 * The requester was sent a satisfaction survey for the ticket's solve (once per ticket: the survey
 * is offered when it is first solved); a requester without an email address is sent none. The
 * CSAT response rate divides ratings by these.
 */
export const CsatSurveyOffered = defineEvent<{ scale: CsatScale; expiresAt: string; assigneeId: string | null; groupId: string | null }>()('tickets.csat_survey_offered', {
  aggregate: 'ticket',
});

/** A macro was created, changed or deleted (consoles refresh their macro pickers). */
export const MacroChanged = defineEvent<{ action: 'created' | 'updated' | 'deleted'; name: string; version: number }>()('tickets.macro_changed', { aggregate: 'ticket_macro' });
/** A macro ran on the ticket (its changes, messages and checklists have their own events); `version` is the ticket's after it. */
export const MacroApplied = defineEvent<{ macroId: string; macroName: string; macroVersion: number; version: number }>()('tickets.macro_applied', { aggregate: 'ticket' });
/** The ticket was merged into `targetId` and closed; its conversation, attachments, participants, tags and history moved there. */
export const TicketMerged = defineEvent<{ targetId: string; targetNumber: number; moved: { messages: number; attachments: number; participants: number; history: number }; version: number; targetVersion: number }>()(
  'tickets.ticket_merged',
  { aggregate: 'ticket' },
);

/** Anonymous survey reads and ratings, per IP. */
export const CsatRateLimit = defineRateLimit({ name: 'csat', perMinute: 'RATE_LIMIT_CSAT_PER_MINUTE', label: 'per IP on satisfaction surveys' });

export const TicketsQueue: QueueDefinition = { name: 'tickets', description: 'Tickets following other contexts’ changes (contact merges, erasures) and purging deleted tickets' };

/** The console's ticket events: the payload without its version, plus the ticket id and version (see realtime/console-events.ts). */
const ticketEvent = ({ aggregateId, payload }: EventEnvelope<{ version?: unknown }>): Record<string, unknown> => {
  const { version, ...rest } = payload;
  return { ...rest, ticketId: aggregateId, version: typeof version === 'number' ? version : 0 };
};

/** The console's ticket-side events that do not change the ticket itself: the payload and the ticket id, no version. */
/** The console's group events: the payload and the group id. */
const groupEvent = ({ aggregateId, payload }: EventEnvelope<object>): Record<string, unknown> => ({ ...payload, groupId: aggregateId });

/** The console's view events: what changed (`op`), the view as it is now (null once deleted or no longer shared), and its id. */
const viewEvent = ({ aggregateId, payload }: EventEnvelope<{ op: string; view: ViewView | null }>): Record<string, unknown> => ({ op: payload.op, view: payload.view, viewId: aggregateId });

const besideTicketEvent = ({ aggregateId, payload }: EventEnvelope<object>): Record<string, unknown> => ({ ...payload, ticketId: aggregateId });

/** Tickets, their conversation, participants, attachments, history and AI suggestions; the groups that work them; and the channels conversations arrive and leave through. */
export const ticketsContext = defineContext({
  name: 'tickets',
  events: [
    TicketCreated, TicketUpdated, TicketStatusChanged, TicketAssigned, MessageAdded, AttachmentAdded, ParticipantsChanged, AiSuggestionCreated, AiSuggestionAccepted, AiSuggestionRejected, TicketDeleted,
    GroupCreated, GroupUpdated, GroupDeleted, GroupMembershipChanged, TimeLogged, TimeEntryUpdated, TimeEntryDeleted, TimerStarted, TimerStopped, ChecklistChanged, ExternalLinkChanged, CsatRated, CsatSurveyOffered,
    MacroChanged, MacroApplied, TicketMerged,
    TicketFieldChanged, TicketFormChanged,
    ...CHANNEL_EVENTS,
    ViewChanged,
    PersonalViewChanged,
    CustomStatusChanged,
    ...SLA_EVENTS,
    ...RULE_EVENTS,
    ...ASSIGNMENT_EVENTS,
  ],
  queues: [TicketsQueue, ...CHANNEL_QUEUES, ...SLA_QUEUES],
  jobs: [...CHANNEL_JOBS, ...RULE_JOBS, ...SLA_JOBS],
  schedules: [...CHANNEL_SCHEDULES, ...RULE_SCHEDULES, ...SLA_SCHEDULES],
  config: channelsConfig,
  featureFlags: CHANNEL_FEATURE_FLAGS,
  operatorStats: [TicketActivityStats, TicketStorageStats],
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
    consoleEvent(TimeLogged, 'ticket.time_logged', besideTicketEvent),
    consoleEvent(TimeEntryUpdated, 'ticket.time_entry_updated', besideTicketEvent),
    consoleEvent(TimeEntryDeleted, 'ticket.time_entry_deleted', besideTicketEvent),
    consoleEvent(TimerStarted, 'timer.started', besideTicketEvent, { users: ({ payload }) => [payload.userId] }),
    consoleEvent(TimerStopped, 'timer.stopped', besideTicketEvent, { users: ({ payload }) => [payload.userId] }),
    consoleEvent(ChecklistChanged, 'ticket.checklist_changed', besideTicketEvent),
    consoleEvent(ExternalLinkChanged, 'ticket.external_link_changed', besideTicketEvent),
    consoleEvent(CsatRated, 'ticket.csat_rated', besideTicketEvent),
    consoleEvent(MacroApplied, 'ticket.macro_applied', ticketEvent),
    consoleEvent(TicketMerged, 'ticket.merged', ticketEvent),
    consoleEvent(GroupCreated, 'group.created', groupEvent),
    consoleEvent(GroupUpdated, 'group.updated', groupEvent),
    consoleEvent(GroupDeleted, 'group.deleted', groupEvent),
    consoleEvent(GroupMembershipChanged, 'group.membership_changed', groupEvent),
    consoleEvent(TicketFieldChanged, 'ticket_field.changed', ({ payload }) => ({ ...payload })),
    consoleEvent(TicketFormChanged, 'ticket_form.changed', ({ payload }) => ({ ...payload })),
    ...CHANNEL_CONSOLE_EVENTS,
    consoleEvent(ViewChanged, 'view.changed', viewEvent),
    consoleEvent(PersonalViewChanged, 'view.changed', viewEvent, { users: ({ payload }) => [payload.ownerId] }),
    ...SLA_CONSOLE_EVENTS,
    ...RULE_CONSOLE_EVENTS,
    ...ASSIGNMENT_CONSOLE_EVENTS,
    consoleEvent(CustomStatusChanged, 'custom_status.changed', ({ aggregateId, payload }) => ({ ...payload, statusId: aggregateId })),
  ],
});
