import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { TimeRepository } from '../../repositories/time.repository';
import { TimerStarted } from '../../tickets.context';
import { stopRunningTimer } from '../stop-timer/stop-timer.handler';
import { StartTimerCommand, type StartedTimer } from './start-timer.command';

/**
 * Starts the caller's timer on a ticket. An agent has one timer: a running one is stopped and
 * recorded first, in the same transaction (as Harvest and Toggl do), so switching tickets is one click.
 */
@CommandHandler(StartTimerCommand)
export class StartTimerHandler implements ICommandHandler<StartTimerCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly time: TimeRepository,
  ) {}

  execute({ context, ticketId, options }: StartTimerCommand): Promise<StartedTimer> {
    if (context.actorType !== 'user' || !context.actorId) {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'Timers belong to people signed in; an API key records time with POST /v1/tickets/{id}/time-entries.' });
    }
    const userId = context.actorId;
    return this.tx.run(context, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      const previous = await stopRunningTimer(tx, { tickets: this.tickets, time: this.time }, userId, false);
      const timer = await this.time.startTimer(tx, userId, ticketId, { activityType: options.activityType ?? 'general', billable: options.billable ?? true, note: options.note ?? null });
      await tx.emit(TimerStarted.of(ticketId, { userId, startedAt: timer.startedAt, activityType: timer.activityType }));
      return { timer, stopped: previous?.entry ?? null };
    });
  }
}
