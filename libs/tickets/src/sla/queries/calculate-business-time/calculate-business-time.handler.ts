import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { addBusinessMinutes, businessMinutesBetween, isOpenAt, prepareCalendar } from '../../domain/business-calendar';
import { calendarProblem } from '../../domain/calendar-problem';
import { ListCalendarsQuery } from '../list-calendars/list-calendars.query';
import { CalculateBusinessTimeQuery, type BusinessTimeAnswer } from './calculate-business-time.query';

@QueryHandler(CalculateBusinessTimeQuery)
export class CalculateBusinessTimeHandler implements IQueryHandler<CalculateBusinessTimeQuery> {
  constructor(private readonly queries: QueryBus) {}

  async execute({ tenantId, calendarId, from, to, addMinutes }: CalculateBusinessTimeQuery): Promise<BusinessTimeAnswer> {
    const [calendar] = await this.queries.execute(new ListCalendarsQuery(tenantId, calendarId));
    const cal = prepareCalendar(calendar);
    const t = from.getTime();
    const answer: BusinessTimeAnswer = { from: from.toISOString(), openAtFrom: isOpenAt(cal, t) };
    try {
      if (to) Object.assign(answer, { to: to.toISOString(), businessMinutes: businessMinutesBetween(cal, t, to.getTime()) });
      if (addMinutes !== undefined) Object.assign(answer, { addMinutes, due: new Date(addBusinessMinutes(cal, t, addMinutes)).toISOString() });
    } catch (error) {
      throw calendarProblem(error);
    }
    return answer;
  }
}
