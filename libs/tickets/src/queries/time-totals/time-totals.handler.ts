import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TimeRepository } from '../../repositories/time.repository';
import { TimeTotalsQuery, type TimeTotalsReport } from './time-totals.query';

/** Minutes (all and billable) and entry counts per agent, ticket or activity type for the work done in a range. */
@QueryHandler(TimeTotalsQuery)
export class TimeTotalsHandler implements IQueryHandler<TimeTotalsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly time: TimeRepository,
  ) {}

  execute({ tenantId, range, groupBy, userId }: TimeTotalsQuery): Promise<TimeTotalsReport> {
    const span = { from: range.from.toISOString(), to: range.to.toISOString() };
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const data = await this.time.totals(tx, span, groupBy, userId);
      const totals = data.reduce((sum, row) => ({ minutes: sum.minutes + row.minutes, billableMinutes: sum.billableMinutes + row.billableMinutes, entries: sum.entries + row.entries }), { minutes: 0, billableMinutes: 0, entries: 0 });
      return { ...span, groupBy, data, totals };
    });
  }
}
