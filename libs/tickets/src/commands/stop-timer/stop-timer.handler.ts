import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { MAX_ENTRY_MINUTES, recordTimeEntry } from '../../domain/time-entries';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { TimeRepository } from '../../repositories/time.repository';
import { TimerStopped } from '../../tickets.context';
import { StopTimerCommand, type StoppedTimer } from './stop-timer.command';

/**
 * Stops the caller's running timer, recording its whole minutes (at least 1, at most a day) as an
 * entry on its ticket, or throwing them away. Shared with starting a timer, which stops the last.
 */
export async function stopRunningTimer(
  tx: TenantTx,
  repos: { tickets: TicketsRepository; time: TimeRepository },
  userId: string,
  discard: boolean,
): Promise<StoppedTimer | undefined> {
  const taken = await repos.time.takeTimer(tx, userId);
  if (!taken) return undefined;
  const { timer, elapsedMinutes } = taken;
  const capped = elapsedMinutes > MAX_ENTRY_MINUTES;
  // A timer whose ticket was deleted since is discarded: there is nothing to record the time on.
  const ticketLive = !discard && (await repos.tickets.find(tx, timer.ticketId)) !== undefined;
  const entry = ticketLive
    ? await recordTimeEntry(tx, repos, timer.ticketId, userId, {
        minutes: Math.min(elapsedMinutes, MAX_ENTRY_MINUTES),
        activityType: timer.activityType,
        billable: timer.billable,
        note: timer.note,
        workedAt: timer.startedAt,
      })
    : null;
  await tx.emit(TimerStopped.of(timer.ticketId, { userId, entryId: entry?.id ?? null }));
  return { timer, entry, capped };
}

@CommandHandler(StopTimerCommand)
export class StopTimerHandler implements ICommandHandler<StopTimerCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly time: TimeRepository,
  ) {}

  execute({ context, discard }: StopTimerCommand): Promise<StoppedTimer> {
    if (context.actorType !== 'user' || !context.actorId) {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'Timers belong to people signed in; an API key records time with POST /v1/tickets/{id}/time-entries.' });
    }
    const userId = context.actorId;
    return this.tx.run(context, async (tx) => {
      const stopped = await stopRunningTimer(tx, { tickets: this.tickets, time: this.time }, userId, discard);
      if (!stopped) throw notFound('Running timer');
      return stopped;
    });
  }
}
