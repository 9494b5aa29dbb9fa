import { CommandBus } from '@nestjs/cqrs';
import { EventConsumer, OnEventSelfAcknowledged, type EventEnvelope, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { GroupMembershipChanged, GroupUpdated, TicketCreated, TicketsQueue, TicketUpdated } from '../../tickets.context';
import { AssignmentPolicyChanged } from '../assignment.registration';
import { AssignWaitingTicketsCommand } from '../commands/assign-waiting-tickets/assign-waiting-tickets.command';
import { assignmentTrigger } from './assign-on-change';

const TRIGGERS = [TicketCreated, TicketUpdated, GroupMembershipChanged, GroupUpdated, AssignmentPolicyChanged];

/**
 * The durable path behind the after-commit reaction (AssignOnTicketChange): the worker hands out
 * waiting tickets for every committed event that may move a queue, so a reaction lost with a
 * crashed api process still happens. Running twice is harmless: a queue with nothing to hand out
 * changes nothing. Presence is read (Redis) before any transaction, so the receipt comes last; a
 * crash in between runs the assignment again, which finds nothing left to do.
 */
@OnEventSelfAcknowledged(TRIGGERS, { queue: TicketsQueue, job: 'tickets.assign-waiting' })
export class AssignWaitingTicketsJob implements SelfAcknowledgingEventHandler<(typeof TRIGGERS)[number]> {
  constructor(
    private readonly commands: CommandBus,
    private readonly consumer: EventConsumer,
  ) {}

  async handle(event: EventEnvelope, consumer: string): Promise<void> {
    const trigger = assignmentTrigger(event);
    if (trigger) await this.commands.execute(new AssignWaitingTicketsCommand({ tenantId: event.tenantId, actorId: null, correlationId: event.correlationId }, trigger));
    await this.consumer.once(consumer, event, async () => undefined);
  }
}
