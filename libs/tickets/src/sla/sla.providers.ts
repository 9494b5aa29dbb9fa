import { DeleteCalendarHandler } from './commands/delete-calendar/delete-calendar.handler';
import { ImportHolidaysHandler } from './commands/import-holidays/import-holidays.handler';
import { SaveCalendarHandler } from './commands/save-calendar/save-calendar.handler';
import { CalendarsController } from './http/calendars.controller';
import { CalculateBusinessTimeHandler } from './queries/calculate-business-time/calculate-business-time.handler';
import { ListCalendarsHandler } from './queries/list-calendars/list-calendars.handler';
import { CalendarsRepository } from './repositories/calendars.repository';
import { PoliciesRepository } from './repositories/policies.repository';
import { SavePolicyHandler } from './commands/save-policy/save-policy.handler';
import { DeletePolicyHandler } from './commands/delete-policy/delete-policy.handler';
import { ListPoliciesHandler } from './queries/list-policies/list-policies.handler';
import { ExplainTicketSlaHandler } from './queries/explain-ticket-sla/explain-ticket-sla.handler';
import { PoliciesController } from './http/policies.controller';
import { SlaEngine } from './engine/sla-engine';

/** The SLA sub-area's providers and controllers, listed by the tickets modules. */
export const SLA_PROVIDERS = [CalendarsRepository, SaveCalendarHandler, DeleteCalendarHandler, ImportHolidaysHandler, ListCalendarsHandler, CalculateBusinessTimeHandler, PoliciesRepository, SavePolicyHandler, DeletePolicyHandler, ListPoliciesHandler, ExplainTicketSlaHandler, SlaEngine];
export const SLA_CONTROLLERS = [CalendarsController, PoliciesController];
