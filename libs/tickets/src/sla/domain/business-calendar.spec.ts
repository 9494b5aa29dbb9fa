import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  CalendarError,
  isOpenAt,
  prepareCalendar,
  WEEKDAYS,
  type CalendarSpec,
  type Holiday,
  type OpeningInterval,
  type PreparedCalendar,
  type Weekday,
} from './business-calendar';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const hhmm = (m: number) => (m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

/**
 * The model the calculations are checked against, written independently: minute by minute, the
 * wall clock in the zone (luxon), the weekday's intervals and the holidays.
 */
function openByWallClock(spec: CalendarSpec, t: number): boolean {
  const local = DateTime.fromMillis(t, { zone: spec.timeZone });
  const date = local.toISODate()!;
  if (spec.holidays.some((h) => (h.recurring ? h.date.slice(5) === date.slice(5) : h.date === date))) return false;
  const minute = local.hour * 60 + local.minute;
  const day = WEEKDAYS[local.weekday - 1]!;
  return (spec.week[day] ?? []).some((iv) => {
    const [sh, sm] = iv.start.split(':').map(Number);
    const [eh, em] = iv.end.split(':').map(Number);
    return sh! * 60 + sm! <= minute && minute < eh! * 60 + em!;
  });
}
function bruteBetween(spec: CalendarSpec, from: number, to: number): number {
  let n = 0;
  for (let t = from; t < to; t += MINUTE) if (openByWallClock(spec, t)) n++;
  return n;
}
function bruteAdd(spec: CalendarSpec, from: number, minutes: number): number {
  if (minutes === 0) return from;
  let n = 0;
  for (let t = from; ; t += MINUTE) {
    if (openByWallClock(spec, t) && ++n === minutes) return t + MINUTE;
  }
}

// Zones with daylight-saving changes on different dates and at different hours (Lord Howe moves by
// 30 minutes), and one without.
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo', 'Asia/Tokyo'];
/** Instants to the minute around the 2026–2027 changes (March, April, October, November). */
const instant = fc.integer({ min: at('2026-03-01T00:00:00Z') / MINUTE, max: at('2027-04-30T00:00:00Z') / MINUTE }).map((m) => m * MINUTE);
const intervals: fc.Arbitrary<OpeningInterval[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 48 }), { minLength: 0, maxLength: 6 })
  .map((points) => points.sort((a, b) => a - b).map((p) => p * 30))
  .map((points) => {
    const out: OpeningInterval[] = [];
    for (let i = 0; i + 1 < points.length; i += 2) out.push({ start: hhmm(points[i]!), end: hhmm(points[i + 1]!) });
    return out;
  });
const calendar: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    week: fc.record(Object.fromEntries(WEEKDAYS.map((d) => [d, intervals])) as Record<Weekday, fc.Arbitrary<OpeningInterval[]>>),
    holidays: fc.array(
      fc.record({ date: fc.integer({ min: 0, max: 420 }).map((d) => new Date(at('2026-03-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10)), name: fc.constant('Holiday'), recurring: fc.boolean() }),
      { maxLength: 8 },
    ) as fc.Arbitrary<Holiday[]>,
  })
  .filter((c) => Object.values(c.week).some((ivs) => ivs.length > 0));

describe('business calendar arithmetic', () => {
  it('counts business minutes between two instants like the minute-by-minute model', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 3 * 1440 }), (spec, from, span) => {
        const cal = prepareCalendar(spec);
        expect(businessMinutesBetween(cal, from, from + span * MINUTE)).toBe(bruteBetween(spec, from, from + span * MINUTE));
      }),
      { numRuns: 100 },
    );
  });

  it('adds business minutes like the minute-by-minute model, and the two functions agree', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 900 }), (spec, from, minutes) => {
        const cal = prepareCalendar(spec);
        const due = addBusinessMinutes(cal, from, minutes);
        expect(due).toBe(bruteAdd(spec, from, minutes));
        expect(businessMinutesBetween(cal, from, due)).toBe(minutes);
      }),
      { numRuns: 80 },
    );
  });

  it('answers whether it is open at an instant like the model', () => {
    fc.assert(
      fc.property(calendar, instant, (spec, t) => {
        expect(isOpenAt(prepareCalendar(spec), t)).toBe(openByWallClock(spec, t));
      }),
      { numRuns: 300 },
    );
  });

  describe('around daylight-saving changes', () => {
    const night = (timeZone: string): PreparedCalendar => prepareCalendar({ timeZone, week: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '01:00', end: '04:00' }]])), holidays: [] });
    it('is open 2 hours on Berlin’s spring change night and 4 on the autumn one', () => {
      const berlin = night('Europe/Berlin');
      expect(businessMinutesBetween(berlin, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(120);
      expect(businessMinutesBetween(berlin, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(240);
      expect(businessMinutesBetween(berlin, at('2026-06-01T12:00:00Z'), at('2026-06-02T12:00:00Z'))).toBe(180);
    });
    it('adds across New York’s spring change in wall-clock hours', () => {
      const nineToFive = prepareCalendar({ timeZone: 'America/New_York', week: { fri: [{ start: '09:00', end: '17:00' }], mon: [{ start: '09:00', end: '17:00' }] }, holidays: [] });
      // Friday 16:00 EST + 2 business hours = Monday 10:00 EDT (the clocks changed on Sunday).
      expect(new Date(addBusinessMinutes(nineToFive, at('2026-03-06T21:00:00Z'), 120)).toISOString()).toBe('2026-03-09T14:00:00.000Z');
    });
  });

  it('skips holidays, one-off and recurring, and a lunch break', () => {
    const office = prepareCalendar({
      timeZone: 'Europe/Berlin',
      week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]])),
      holidays: [{ date: '2020-12-25', name: 'Christmas', recurring: true }, { date: '2026-12-24', name: 'Christmas Eve', recurring: false }],
    });
    // Wednesday 23 December 2026, 16:30 Berlin + 60 business minutes: 24th and 25th closed, the
    // weekend closed, so Monday 28th 09:30.
    expect(new Date(addBusinessMinutes(office, at('2026-12-23T15:30:00Z'), 60)).toISOString()).toBe('2026-12-28T08:30:00.000Z');
    // The lunch break does not count.
    expect(businessMinutesBetween(office, at('2026-12-28T10:00:00Z'), at('2026-12-28T13:00:00Z'))).toBe(120);
  });

  it('refuses calendars that make no sense, naming the field', () => {
    const bad = (spec: Partial<CalendarSpec>) => {
      try {
        prepareCalendar({ timeZone: 'Europe/Berlin', week: { mon: [{ start: '09:00', end: '17:00' }] }, holidays: [], ...spec });
      } catch (error) {
        return error instanceof CalendarError ? error.field : String(error);
      }
      return 'accepted';
    };
    expect(bad({ timeZone: 'Mars/Olympus' })).toBe('timeZone');
    expect(bad({ week: {} })).toBe('week');
    expect(bad({ week: { mon: [{ start: '17:00', end: '09:00' }] } })).toBe('week.mon[0]');
    expect(bad({ week: { mon: [{ start: '09:00', end: '12:30' }, { start: '12:00', end: '17:00' }] } })).toBe('week.mon[1]');
    expect(bad({ week: { mon: [{ start: '9am', end: '17:00' }] } })).toBe('week.mon[0].start');
    expect(bad({ week: { mon: [{ start: '09:00', end: '24:01' }] } })).toBe('week.mon[0].end');
    expect(bad({ week: { funday: [{ start: '09:00', end: '17:00' }] } as never })).toBe('week.funday');
    expect(bad({ holidays: [{ date: '2026-02-30', name: 'x', recurring: false }] })).toBe('holidays[0].date');
    // Every day of the year a recurring holiday: a calculation gives up instead of searching for ever.
    const everyDay = Array.from({ length: 366 }, (_, d) => ({ date: new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10), name: 'Closed', recurring: true }));
    const closed = prepareCalendar({ timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '17:00' }] }, holidays: everyDay });
    expect(() => addBusinessMinutes(closed, at('2026-01-01T00:00:00Z'), 60)).toThrow(CalendarError);
    expect(businessMinutesBetween(closed, at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'))).toBe(0);
    // Open one minute a week: a year of business minutes would end millennia ahead; refused, not searched.
    const tiny = prepareCalendar({ timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '09:01' }] }, holidays: [] });
    expect(() => addBusinessMinutes(tiny, at('2026-01-01T00:00:00Z'), 525_600)).toThrow(/more than 10 years ahead/);
    expect(new Date(addBusinessMinutes(tiny, at('2026-01-01T00:00:00Z'), 2)).toISOString()).toBe('2026-01-12T09:01:00.000Z');
  });
});
