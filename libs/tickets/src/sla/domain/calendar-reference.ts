import { ProblemException, type TenantTx } from '@switchboard/platform';
import type { CalendarsRepository } from '../repositories/calendars.repository';

/** A group's business calendar is a live calendar of this tenant; another tenant's id looks like none at all. */
export async function assertLiveCalendar(tx: TenantTx, calendars: CalendarsRepository, calendarId: string, field = 'businessCalendarId'): Promise<void> {
  if (await calendars.find(tx, calendarId, { live: true })) return;
  const detail = `Business calendar ${calendarId} does not exist; create it under /v1/business-calendars first.`;
  throw new ProblemException({ status: 422, type: 'invalid-reference', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });
}
