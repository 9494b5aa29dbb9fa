import { IANAZone } from 'luxon';

/**
 * Business calendars: when a help desk is open, in its own time zone. Pure functions over instants
 * (epoch milliseconds): the open periods from an instant on, "add N business minutes" and "business
 * minutes between". Correct across daylight-saving changes and holidays (ADR 0041):
 *
 * - the calendar is open at an instant when the wall clock in its zone then reads a time inside
 *   one of that local date's opening intervals — so a day open 01:00–04:00 in Berlin is open 2
 *   hours on the spring change (02:00–03:00 never happens) and 4 on the autumn one (02:00–03:00
 *   happens twice);
 * - a holiday closes its whole local date; a recurring one closes that month and day every year.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningInterval {
  /** `HH:MM`, 00:00–23:59. */
  start: string;
  /** `HH:MM` after `start`, up to `24:00` (midnight at the end of the day). */
  end: string;
}

export interface Holiday {
  /** `YYYY-MM-DD`, a local date in the calendar's zone. */
  date: string;
  name: string;
  /** Closed on this month and day every year. */
  recurring: boolean;
}

export interface CalendarSpec {
  /** An IANA zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Opening intervals per weekday, in order and not overlapping; a day left out is closed. */
  week: Partial<Record<Weekday, OpeningInterval[]>>;
  holidays: Holiday[];
}

export const MAX_INTERVALS_PER_DAY = 6;
export const MAX_HOLIDAYS = 1_000;
/** How far ahead a calculation looks for open time before it gives up (a calendar closed for years). */
const HORIZON_DAYS = 3 * 366;
/** How far ahead "add business minutes" looks before it refuses. */
const MAX_YEARS_AHEAD = 10;
const MINUTE = 60_000;
const DAY = 86_400_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CalendarError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const minutesOf = (hhmm: string, field: string, allowMidnightEnd: boolean): number => {
  if (allowMidnightEnd && hhmm === '24:00') return 24 * 60;
  const m = TIME.exec(hhmm);
  if (!m) throw new CalendarError(field, `${field} must be a time HH:MM${allowMidnightEnd ? ' (or 24:00)' : ''}, got "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** Checks a calendar and answers it normalised (intervals sorted, holidays sorted and unique); throws CalendarError naming the field. */
export function validateCalendar(spec: CalendarSpec): CalendarSpec {
  if (!IANAZone.isValidZone(spec.timeZone)) throw new CalendarError('timeZone', `timeZone must be an IANA time zone such as Europe/Berlin, got "${spec.timeZone}"`);
  const week: Partial<Record<Weekday, OpeningInterval[]>> = {};
  let open = false;
  for (const [day, given] of Object.entries(spec.week ?? {})) {
    const intervals = given ?? [];
    if (!(WEEKDAYS as readonly string[]).includes(day)) throw new CalendarError(`week.${day}`, `week has the days ${WEEKDAYS.join(', ')}; "${day}" is not one`);
    if (intervals.length > MAX_INTERVALS_PER_DAY) throw new CalendarError(`week.${day}`, `a day has at most ${MAX_INTERVALS_PER_DAY} opening intervals`);
    const sorted = intervals
      .map((iv, i) => ({ iv, start: minutesOf(iv.start, `week.${day}[${i}].start`, false), end: minutesOf(iv.end, `week.${day}[${i}].end`, true), i }))
      .sort((a, b) => a.start - b.start);
    sorted.forEach((s, k) => {
      if (s.end <= s.start) throw new CalendarError(`week.${day}[${s.i}]`, `an opening interval ends after it starts (${s.iv.start}–${s.iv.end})`);
      const prev = sorted[k - 1];
      if (prev && s.start < prev.end) throw new CalendarError(`week.${day}[${s.i}]`, `opening intervals of ${day} overlap (${prev.iv.start}–${prev.iv.end} and ${s.iv.start}–${s.iv.end})`);
    });
    if (sorted.length === 0) continue;
    open = true;
    week[day as Weekday] = sorted.map((s) => ({ start: s.iv.start, end: s.iv.end }));
  }
  if (!open) throw new CalendarError('week', 'a business calendar is open at least one interval a week');
  if ((spec.holidays ?? []).length > MAX_HOLIDAYS) throw new CalendarError('holidays', `a calendar has at most ${MAX_HOLIDAYS} holidays`);
  const holidays = new Map<string, Holiday>();
  (spec.holidays ?? []).forEach((h, i) => {
    const m = DATE.exec(h.date);
    const d = m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (!m || !d || d.getUTCDate() !== Number(m[3])) throw new CalendarError(`holidays[${i}].date`, `a holiday's date is YYYY-MM-DD, got "${h.date}"`);
    const key = `${h.recurring ? '*' : m[1]}-${m[2]}-${m[3]}`;
    holidays.set(key, { date: h.date, name: (h.name ?? '').trim().slice(0, 200) || 'Holiday', recurring: Boolean(h.recurring) });
  });
  return { timeZone: spec.timeZone, week, holidays: [...holidays.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}

/** A calendar prepared for calculations (parse once, use for many tickets). */
export interface PreparedCalendar {
  readonly spec: CalendarSpec;
  readonly zone: IANAZone;
  /** Per weekday (0 = Monday): [startMinute, endMinute] pairs. */
  readonly days: readonly (readonly [number, number][])[];
  readonly fixedHolidays: ReadonlySet<string>;
  readonly recurringHolidays: ReadonlySet<string>;
}

export function prepareCalendar(spec: CalendarSpec): PreparedCalendar {
  const valid = validateCalendar(spec);
  return {
    spec: valid,
    zone: IANAZone.create(valid.timeZone),
    days: WEEKDAYS.map((d) => (valid.week[d] ?? []).map((iv) => [minutesOf(iv.start, '', false), minutesOf(iv.end, '', true)] as [number, number])),
    fixedHolidays: new Set(valid.holidays.filter((h) => !h.recurring).map((h) => h.date)),
    recurringHolidays: new Set(valid.holidays.filter((h) => h.recurring).map((h) => h.date.slice(5))),
  };
}

/** The UTC offset (ms) of the zone at an instant. */
const offsetAt = (cal: PreparedCalendar, t: number) => cal.zone.offset(t) * MINUTE;

/**
 * The instants whose wall clock reads a time in [w1, w2) (local times as "UTC" ms): one period on
 * an ordinary day; around a change of offset, the part before it and the part after it — two
 * periods when the autumn change repeats part of the window, one shorter period when the spring
 * change skips part of it.
 */
function instantsWithWallTimeIn(cal: PreparedCalendar, w1: number, w2: number): [number, number][] {
  const before = offsetAt(cal, w1 - DAY);
  const after = offsetAt(cal, w2 + DAY);
  if (before === after) return [[w1 - before, w2 - before]];
  // The change, to the minute: the first instant on the new offset.
  let lo = w1 - DAY;
  let hi = w2 + DAY;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.max(1, Math.floor((hi - lo) / 2 / MINUTE)) * MINUTE;
    if (offsetAt(cal, mid) === before) lo = mid;
    else hi = mid;
  }
  const pieces: [number, number][] = [
    [w1 - before, Math.min(w2 - before, hi)],
    [Math.max(w1 - after, hi), w2 - after],
  ];
  return pieces.filter(([s, e]) => e > s);
}

const ymd = (wallDay: number) => new Date(wallDay).toISOString().slice(0, 10);

/** Whether a local date (its midnight as "UTC" ms) is a holiday. */
const isHoliday = (cal: PreparedCalendar, wallDay: number) => {
  const date = ymd(wallDay);
  return cal.fixedHolidays.has(date) || cal.recurringHolidays.has(date.slice(5));
};

/**
 * Each prepared calendar's days, computed once: the zone's offsets (luxon's Intl formatting) are
 * most of the cost, and a recompute of many tickets asks for the same recent days again and again.
 * Bounded, so a long-lived calendar does not grow without end.
 */
const DAY_CACHE_LIMIT = 4096;
const dayCache = new WeakMap<PreparedCalendar, Map<number, readonly (readonly [number, number])[]>>();

/** The open periods [start, end) of one local date, as instants, in order (shared: do not change them). */
export function periodsOfDay(cal: PreparedCalendar, wallDay: number): readonly (readonly [number, number])[] {
  let cache = dayCache.get(cal);
  if (!cache) dayCache.set(cal, (cache = new Map()));
  let periods = cache.get(wallDay);
  if (periods === undefined) {
    if (cache.size >= DAY_CACHE_LIMIT) cache.clear();
    periods = computePeriodsOfDay(cal, wallDay);
    cache.set(wallDay, periods);
  }
  return periods;
}

function computePeriodsOfDay(cal: PreparedCalendar, wallDay: number): [number, number][] {
  if (isHoliday(cal, wallDay)) return [];
  const weekday = (new Date(wallDay).getUTCDay() + 6) % 7;
  const out = cal.days[weekday]!.flatMap(([s, e]) => instantsWithWallTimeIn(cal, wallDay + s * MINUTE, wallDay + e * MINUTE));
  return out.length > 1 ? out.sort((a, b) => a[0] - b[0]) : out;
}

/** The local date (midnight as "UTC" ms) an instant falls on. */
const wallDayOf = (cal: PreparedCalendar, t: number) => Math.floor((t + offsetAt(cal, t)) / DAY) * DAY;

/**
 * Open periods from `from` on, clipped to start no earlier than it, in order, up to the local day
 * `until` falls on. A calendar closed for HORIZON_DAYS days in a row (holidays covering every open
 * day) is refused rather than searched for ever.
 */
export function* openPeriods(cal: PreparedCalendar, from: number, until = Infinity): Generator<[number, number]> {
  let closedDays = 0;
  // From the local day before: its periods may run past midnight into `from`'s day.
  for (let day = wallDayOf(cal, from) - DAY; day - 2 * DAY <= until; day += DAY) {
    const periods = periodsOfDay(cal, day);
    closedDays = periods.length === 0 ? closedDays + 1 : 0;
    if (closedDays > HORIZON_DAYS) throw noOpenTime();
    for (const [s, e] of periods) {
      if (e <= from) continue;
      yield [Math.max(s, from), e];
    }
  }
}

const noOpenTime = () => new CalendarError('week', `the calendar has no open time in ${HORIZON_DAYS} days in a row`);

/** The instant `minutes` business minutes after `from` (`from` itself for 0). */
export function addBusinessMinutes(cal: PreparedCalendar, from: number, minutes: number): number {
  if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new RangeError(`minutes must be a finite number ≥ 0, got ${minutes}`);
  let remaining = Math.round(minutes * MINUTE);
  if (remaining === 0) return from;
  // A calendar open a minute a week would put a year of business minutes millennia ahead: bounded.
  for (const [s, e] of openPeriods(cal, from, from + MAX_YEARS_AHEAD * 366 * DAY)) {
    if (remaining <= e - s) return s + remaining;
    remaining -= e - s;
  }
  throw new CalendarError('addMinutes', `${minutes} business minutes end more than ${MAX_YEARS_AHEAD} years ahead in this calendar`);
}

/** Business minutes from `from` to `to` (0 when `to` is not after `from`); fractional when the instants are. */
export function businessMinutesBetween(cal: PreparedCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (const [s, e] of openPeriods(cal, from, to)) {
    if (s >= to) return total / MINUTE;
    total += Math.min(e, to) - s;
  }
  return total / MINUTE;
}

/** Whether the calendar is open at an instant. */
export function isOpenAt(cal: PreparedCalendar, t: number): boolean {
  const day = wallDayOf(cal, t);
  return [day - DAY, day].some((d) => periodsOfDay(cal, d).some(([s, e]) => s <= t && t < e));
}
