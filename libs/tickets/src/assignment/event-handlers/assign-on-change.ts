import { Logger } from '@nestjs/common';
import { CommandBus, EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { AgentPresenceChanged, EventCommitted, type EventEnvelope } from '@switchboard/platform';
import type { FieldDelta, TicketSnapshot } from '../../tickets.context';
import { LOAD_STATUSES } from '../domain/assignment-policy';
import { AssignWaitingTicketsCommand, type AssignmentTrigger } from '../commands/assign-waiting-tickets/assign-waiting-tickets.command';

const LOAD: readonly string[] = LOAD_STATUSES;

/** What a committed event means for automatic assignment: which queues may move now, if any. */
export function assignmentTrigger(event: EventEnvelope): AssignmentTrigger | null {
  switch (event.type) {
    case 'tickets.ticket_created': {
      const { ticket } = event.payload as { ticket: TicketSnapshot };
      return ticket.groupId && !ticket.assigneeId && LOAD.includes(ticket.status) ? { groupIds: [ticket.groupId] } : null;
    }
    case 'tickets.ticket_updated': {
      const { delta } = event.payload as { delta: FieldDelta };
      const keys = Object.keys(delta).filter((k) => k === 'groupId' || k === 'assigneeId' || k === 'status');
      if (keys.length === 0) return null;
      // An assignment from nobody fills a slot and frees none (automatic ones would otherwise re-trigger themselves).
      if (keys.length === 1 && keys[0] === 'assigneeId' && delta.assigneeId.from === null) return null;
      const previous = delta.assigneeId?.from;
      return { ticketIds: [event.aggregateId], agentIds: typeof previous === 'string' ? [previous] : [] };
    }
    case 'tickets.group_membership_changed':
      return (event.payload as { action: string }).action === 'add' ? { groupIds: [event.aggregateId] } : null;
    case 'tickets.group_updated':
      return 'assignmentPolicy' in (event.payload as { delta: FieldDelta }).delta ? { groupIds: [event.aggregateId] } : null;
    case 'tickets.assignment_policy_changed':
      return { groupIds: [event.aggregateId] };
    default:
      return null;
  }
}

/**
 * After a commit that may move a group's queue (a ticket entered it, an agent's ticket was solved
 * or handed on, the policy or the members changed), the waiting tickets are handed out. In-process
 * and after commit: a reaction lost to a crash leaves tickets waiting until the group's next
 * trigger (ADR 0047).
 */
@EventsHandler(EventCommitted)
export class AssignOnTicketChange implements IEventHandler<EventCommitted> {
  private readonly logger = new Logger('Assignment');

  constructor(private readonly commands: CommandBus) {}

  handle({ event }: EventCommitted): void {
    const trigger = assignmentTrigger(event);
    if (!trigger) return;
    const context = { tenantId: event.tenantId, actorId: null, correlationId: event.correlationId };
    this.commands.execute(new AssignWaitingTicketsCommand(context, trigger)).catch((error: unknown) => {
      this.logger.warn({ err: error, eventId: event.id }, 'Automatic assignment failed; the group’s next change retries it');
    });
  }
}

/** An agent who comes online (or back from away) takes waiting tickets of their groups. */
@EventsHandler(AgentPresenceChanged)
export class AssignOnAgentOnline implements IEventHandler<AgentPresenceChanged> {
  private readonly logger = new Logger('Assignment');

  constructor(private readonly commands: CommandBus) {}

  handle({ tenantId, userId, status }: AgentPresenceChanged): void {
    if (status !== 'online') return;
    const context = { tenantId, actorId: null, correlationId: null };
    this.commands.execute(new AssignWaitingTicketsCommand(context, { agentIds: [userId] })).catch((error: unknown) => {
      this.logger.warn({ err: error, userId }, 'Automatic assignment failed; the group’s next change retries it');
    });
  }
}
