import { DeleteCalendarHandler } from './commands/delete-calendar/delete-calendar.handler';
import { ImportHolidaysHandler } from './commands/import-holidays/import-holidays.handler';
import { SaveCalendarHandler } from './commands/save-calendar/save-calendar.handler';
import { CalendarsController } from './http/calendars.controller';
import { CalculateBusinessTimeHandler } from './queries/calculate-business-time/calculate-business-time.handler';
import { ListCalendarsHandler } from './queries/list-calendars/list-calendars.handler';
import { CalendarsRepository } from './repositories/calendars.repository';

/** The SLA sub-area's providers and controllers, listed by the tickets modules. */
export const SLA_PROVIDERS = [CalendarsRepository, SaveCalendarHandler, DeleteCalendarHandler, ImportHolidaysHandler, ListCalendarsHandler, CalculateBusinessTimeHandler];
export const SLA_CONTROLLERS = [CalendarsController];
