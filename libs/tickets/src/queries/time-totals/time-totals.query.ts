import { Query } from '@nestjs/cqrs';
import type { TimeGrouping, TimeTotals } from '../../repositories/time.sql';

export interface TimeTotalsReport {
  from: string;
  to: string;
  groupBy: TimeGrouping;
  data: (TimeTotals & { key: string })[];
  totals: TimeTotals;
}

export class TimeTotalsQuery extends Query<TimeTotalsReport> {
  constructor(
    readonly tenantId: string,
    readonly range: { from: Date; to: Date },
    readonly groupBy: TimeGrouping,
    /** Only this person's time (agents see their own; owners and admins anyone's or everyone's). */
    readonly userId?: string,
  ) {
    super();
  }
}
