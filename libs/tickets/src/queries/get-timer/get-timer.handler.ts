import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TimeRepository } from '../../repositories/time.repository';
import type { TimerView } from '../../repositories/time.sql';
import { GetTimerQuery } from './get-timer.query';

/** The user's running timer, or null. */
@QueryHandler(GetTimerQuery)
export class GetTimerHandler implements IQueryHandler<GetTimerQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly time: TimeRepository,
  ) {}

  execute({ tenantId, userId }: GetTimerQuery): Promise<{ timer: TimerView | null }> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => ({ timer: (await this.time.timer(tx, userId)) ?? null }));
  }
}
