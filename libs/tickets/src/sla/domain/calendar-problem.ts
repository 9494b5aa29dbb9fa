import { ProblemException } from '@switchboard/platform';
import { CalendarError } from './business-calendar';

/** A calendar the domain refused, as the 422 a client sees (naming the field and the rule). */
export function calendarProblem(error: unknown): unknown {
  if (!(error instanceof CalendarError)) return error;
  return new ProblemException({ status: 422, type: 'validation', title: 'Unprocessable Content', detail: error.message, errors: [{ field: error.field, message: error.message }] });
}
