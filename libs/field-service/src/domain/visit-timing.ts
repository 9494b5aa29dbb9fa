import { unprocessable } from './problems';

export const MIN_VISIT_MINUTES = 1;
export const MAX_VISIT_MINUTES = 12 * 60;

export interface VisitTimingInput {
  scheduledStart: string;
  durationMinutes: number;
  arrivalWindowStart?: string | null;
  arrivalWindowEnd?: string | null;
}

export interface VisitTiming {
  start: Date;
  end: Date;
  durationMinutes: number;
  arrivalWindowStart: Date | null;
  arrivalWindowEnd: Date | null;
}

/**
 * A visit's times checked against the clock: 1 minute to 12 hours long, not starting in the past,
 * and an arrival window (both ends or neither) that contains the start.
 */
export function visitTiming(input: VisitTimingInput, now: Date): VisitTiming {
  const { durationMinutes } = input;
  if (!Number.isInteger(durationMinutes) || durationMinutes < MIN_VISIT_MINUTES || durationMinutes > MAX_VISIT_MINUTES) {
    throw unprocessable('durationMinutes', `A visit lasts between ${MIN_VISIT_MINUTES} minute and ${MAX_VISIT_MINUTES} minutes (12 hours).`);
  }
  const start = new Date(input.scheduledStart);
  if (Number.isNaN(start.getTime())) throw unprocessable('scheduledStart', 'scheduledStart is not a date-time.');
  if (start.getTime() < now.getTime()) throw unprocessable('scheduledStart', `A visit cannot be scheduled in the past (${start.toISOString()} is before now).`);
  const hasWindowStart = input.arrivalWindowStart != null;
  const hasWindowEnd = input.arrivalWindowEnd != null;
  if (hasWindowStart !== hasWindowEnd) throw unprocessable('arrivalWindowEnd', 'Send both ends of the arrival window, or neither.');
  let arrivalWindowStart: Date | null = null;
  let arrivalWindowEnd: Date | null = null;
  if (hasWindowStart) {
    arrivalWindowStart = new Date(input.arrivalWindowStart!);
    arrivalWindowEnd = new Date(input.arrivalWindowEnd!);
    if (Number.isNaN(arrivalWindowStart.getTime()) || Number.isNaN(arrivalWindowEnd.getTime())) throw unprocessable('arrivalWindowStart', 'The arrival window must be two date-times.');
    if (arrivalWindowEnd.getTime() <= arrivalWindowStart.getTime()) throw unprocessable('arrivalWindowEnd', 'The arrival window must end after it starts.');
    if (arrivalWindowEnd.getTime() - arrivalWindowStart.getTime() > MAX_VISIT_MINUTES * 60_000) throw unprocessable('arrivalWindowEnd', 'An arrival window spans at most 12 hours.');
    if (start < arrivalWindowStart || start > arrivalWindowEnd) throw unprocessable('scheduledStart', 'The scheduled start must lie inside the arrival window.');
  }
  return { start, end: new Date(start.getTime() + durationMinutes * 60_000), durationMinutes, arrivalWindowStart, arrivalWindowEnd };
}
