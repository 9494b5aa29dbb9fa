import { Query } from '@nestjs/cqrs';

export interface BusinessTimeAnswer {
  from: string;
  /** Whether the calendar is open at `from`. */
  openAtFrom: boolean;
  to?: string;
  /** Business minutes from `from` to `to`. */
  businessMinutes?: number;
  addMinutes?: number;
  /** The instant `addMinutes` business minutes after `from`. */
  due?: string;
}

/** Business time in a calendar: minutes between two instants, or the instant N business minutes after one (what an SLA target's deadline is). */
export class CalculateBusinessTimeQuery extends Query<BusinessTimeAnswer> {
  constructor(
    readonly tenantId: string,
    readonly calendarId: string,
    readonly from: Date,
    readonly to?: Date,
    readonly addMinutes?: number,
  ) {
    super();
  }
}
