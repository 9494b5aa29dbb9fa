import { conflict, unprocessable } from './problems';
import { dayIn, offsetMinutes } from './dispatch';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface TimeRange {
  /** HH:MM wall-clock time, 00:00–23:59. */
  start: string;
  /** HH:MM wall-clock time after start, up to 24:00. */
  end: string;
}

/** Per weekday the ranges worked, sorted; a day missing or empty is not worked. */
export type WeeklyHours = Record<Weekday, TimeRange[]>;

export interface WorkingHours {
  timeZone: string;
  weekly: WeeklyHours;
}

export interface Span {
  start: Date;
  end: Date;
}

const MAX_RANGES_PER_DAY = 6;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Validates a weekly pattern: known weekdays only, HH:MM times, each range ending after it
 * starts, ranges of one day not overlapping (touching is fine). Returns it with days sorted.
 */
export function weeklyHours(input: Partial<Record<string, unknown>>): WeeklyHours {
  const unknown = Object.keys(input).filter((k) => !(WEEKDAYS as readonly string[]).includes(k));
  if (unknown.length) throw unprocessable(`days.${unknown[0]}`, `${unknown[0]} is not a weekday; use ${WEEKDAYS.join(', ')}.`);
  const weekly = {} as WeeklyHours;
  for (const day of WEEKDAYS) {
    const ranges = input[day] ?? [];
    if (!Array.isArray(ranges)) throw unprocessable(`days.${day}`, `days.${day} must be a list of {start, end}.`);
    if (ranges.length > MAX_RANGES_PER_DAY) throw unprocessable(`days.${day}`, `At most ${MAX_RANGES_PER_DAY} ranges per day.`);
    const parsed = ranges.map((r: unknown, i) => {
      const { start, end } = (r ?? {}) as Record<string, unknown>;
      const field = `days.${day}[${i}]`;
      if (typeof start !== 'string' || !HHMM.test(start) || start === '24:00') throw unprocessable(`${field}.start`, `${field}.start must be a time HH:MM between 00:00 and 23:59.`);
      if (typeof end !== 'string' || !HHMM.test(end)) throw unprocessable(`${field}.end`, `${field}.end must be a time HH:MM between 00:01 and 24:00.`);
      if (minutesOf(end) <= minutesOf(start)) throw unprocessable(`${field}.end`, `${field} ends (${end}) before it starts (${start}); a range cannot cross midnight, split it over two days.`);
      return { start, end };
    });
    parsed.sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    for (let i = 1; i < parsed.length; i++) {
      if (minutesOf(parsed[i]!.start) < minutesOf(parsed[i - 1]!.end))
        throw unprocessable(`days.${day}`, `On ${day}, ${parsed[i - 1]!.start}–${parsed[i - 1]!.end} and ${parsed[i]!.start}–${parsed[i]!.end} overlap.`);
    }
    weekly[day] = parsed;
  }
  return weekly;
}

/** The weekday of a calendar date (YYYY-MM-DD). */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[(new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7]!;
}

/** The instant a wall-clock time (minutes after midnight, up to 24:00) of a date has in a time zone. */
export function wallClock(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = new Date(Date.UTC(y!, m! - 1, d!, 0, minutes));
  const first = new Date(guess.getTime() - offsetMinutes(guess, timeZone) * 60_000);
  return new Date(guess.getTime() - offsetMinutes(first, timeZone) * 60_000);
}

/** The worked spans of one calendar date, as instants. */
export function workedSpans(hours: WorkingHours, date: string): Span[] {
  return hours.weekly[weekdayOf(date)].map((r) => ({ start: wallClock(date, minutesOf(r.start), hours.timeZone), end: wallClock(date, minutesOf(r.end), hours.timeZone) }));
}

/** Whether a slot lies inside one worked range of the day it starts on (in the hours' time zone). */
export function withinWorkingHours(hours: WorkingHours, slot: Span): boolean {
  const date = dayIn(slot.start, hours.timeZone);
  return workedSpans(hours, date).some((s) => s.start.getTime() <= slot.start.getTime() && slot.end.getTime() <= s.end.getTime());
}

/** The parts of `spans` not covered by any of `busy` (both sorted or not), in order. */
export function subtract(spans: readonly Span[], busy: readonly Span[]): Span[] {
  const sorted = [...busy].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: Span[] = [];
  for (const span of spans) {
    let cursor = span.start.getTime();
    const end = span.end.getTime();
    for (const b of sorted) {
      if (b.end.getTime() <= cursor || b.start.getTime() >= end) continue;
      if (b.start.getTime() > cursor) out.push({ start: new Date(cursor), end: b.start });
      cursor = Math.max(cursor, b.end.getTime());
      if (cursor >= end) break;
    }
    if (cursor < end) out.push({ start: new Date(cursor), end: span.end });
  }
  return out;
}

/** 409: the slot is not inside the technician's working hours on that day. */
export const outsideWorkingHours = (technicianId: string, hours: WorkingHours, slot: Span) => {
  const date = dayIn(slot.start, hours.timeZone);
  const day = weekdayOf(date);
  const ranges = hours.weekly[day];
  return conflict(
    'outside-working-hours',
    `Technician ${technicianId} works ${ranges.length ? ranges.map((r) => `${r.start}–${r.end}`).join(', ') : 'no hours'} on ${day} ${date} (${hours.timeZone}); the visit ${slot.start.toISOString()}–${slot.end.toISOString()} is outside them.`,
    { technicianId, rule: 'working-hours', date, weekday: day, timeZone: hours.timeZone, workingHours: ranges },
  );
};

/** 409: the slot overlaps a span the technician is unavailable. */
export const technicianUnavailable = (technicianId: string, block: { id: string; start: string; end: string; reason: string }) =>
  conflict('technician-unavailable', `Technician ${technicianId} is unavailable from ${block.start} to ${block.end} (${block.reason}).`, {
    technicianId,
    rule: 'unavailability',
    unavailabilityId: block.id,
    unavailableFrom: block.start,
    unavailableTo: block.end,
    reason: block.reason,
  });

/** Longest unavailability one request records (a long leave is several). */
export const MAX_UNAVAILABILITY_DAYS = 366;

/** A valid unavailability: ISO instants, end after start, at most a year, a reason of 1–200 characters. */
export function unavailabilitySpan(input: { start: string; end: string; reason: string }): { start: Date; end: Date; reason: string } {
  const start = new Date(input.start);
  const end = new Date(input.end);
  if (Number.isNaN(start.getTime())) throw unprocessable('start', 'start must be an ISO 8601 date-time.');
  if (Number.isNaN(end.getTime())) throw unprocessable('end', 'end must be an ISO 8601 date-time.');
  if (end.getTime() <= start.getTime()) throw unprocessable('end', `end (${input.end}) must be after start (${input.start}).`);
  if (end.getTime() - start.getTime() > MAX_UNAVAILABILITY_DAYS * 86_400_000) throw unprocessable('end', `An unavailability spans at most ${MAX_UNAVAILABILITY_DAYS} days.`);
  const reason = (input.reason ?? '').trim();
  if (!reason || reason.length > 200) throw unprocessable('reason', 'reason must be 1 to 200 characters.');
  return { start, end, reason };
}

/** The calendar dates (YYYY-MM-DD, in a time zone) that [from, to) touches. */
export function datesBetween(from: Date, to: Date, timeZone: string): string[] {
  const last = dayIn(new Date(to.getTime() - 1), timeZone);
  const dates: string[] = [];
  for (let date = dayIn(from, timeZone); date <= last && dates.length < 400; ) {
    dates.push(date);
    const [y, m, d] = date.split('-').map(Number);
    date = new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
  }
  return dates;
}

/**
 * The free gaps of a technician on one date: their worked ranges, cut to the window, minus their
 * visits and unavailability (travel between visits is not counted).
 */
export function dayGaps(hours: WorkingHours, date: string, busy: readonly Span[], window: Span): Span[] {
  const worked = workedSpans(hours, date)
    .map((s) => ({ start: new Date(Math.max(s.start.getTime(), window.start.getTime())), end: new Date(Math.min(s.end.getTime(), window.end.getTime())) }))
    .filter((s) => s.end.getTime() > s.start.getTime());
  return subtract(worked, busy);
}
