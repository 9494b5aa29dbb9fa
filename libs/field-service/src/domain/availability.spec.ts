import { datesBetween, dayGaps, outsideWorkingHours, subtract, unavailabilitySpan, wallClock, weekdayOf, weeklyHours, withinWorkingHours, type WorkingHours } from './availability';

const d = (s: string) => new Date(s);
const berlin: WorkingHours = {
  timeZone: 'Europe/Berlin',
  weekly: weeklyHours({ mon: [{ start: '13:00', end: '17:00' }, { start: '08:00', end: '12:00' }], sat: [{ start: '22:00', end: '24:00' }] }),
};

describe('weekly working hours', () => {
  it('sorts each day, fills missing days with none and allows touching ranges', () => {
    expect(berlin.weekly.mon).toEqual([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }]);
    expect(berlin.weekly.tue).toEqual([]);
    expect(weeklyHours({ fri: [{ start: '08:00', end: '12:00' }, { start: '12:00', end: '16:00' }] }).fri).toHaveLength(2);
  });

  it.each([
    [{ mon: [{ start: '12:00', end: '08:00' }] }, 'days.mon[0].end', /before it starts/],
    [{ mon: [{ start: '09:00', end: '09:00' }] }, 'days.mon[0].end', /before it starts/],
    [{ mon: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '14:00' }] }, 'days.mon', /overlap/],
    [{ mon: [{ start: '8:00', end: '12:00' }] }, 'days.mon[0].start', /HH:MM/],
    [{ mon: [{ start: '08:00', end: '24:30' }] }, 'days.mon[0].end', /HH:MM/],
    [{ mon: [{ start: '24:00', end: '24:00' }] }, 'days.mon[0].start', /HH:MM/],
    [{ mon: [{ start: 800, end: '12:00' }] }, 'days.mon[0].start', /HH:MM/],
    [{ mon: [null] }, 'days.mon[0].start', /HH:MM/],
    [{ monday: [] }, 'days.monday', /not a weekday/],
    [{ mon: 'all day' }, 'days.mon', /list/],
  ])('refuses %j naming %s (422)', (days, field, message) => {
    expect(() => weeklyHours(days as never)).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422, errors: [{ field, message: expect.stringMatching(message) }] }) }));
  });
});

describe('booking inside working hours', () => {
  it('reads the wall clock in the hours’ time zone, across daylight saving', () => {
    expect(weekdayOf('2026-12-07')).toBe('mon');
    expect(wallClock('2026-12-07', 8 * 60, 'Europe/Berlin').toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(wallClock('2026-07-06', 8 * 60, 'Europe/Berlin').toISOString()).toBe('2026-07-06T06:00:00.000Z');
    expect(wallClock('2026-12-12', 24 * 60, 'Europe/Berlin').toISOString()).toBe('2026-12-12T23:00:00.000Z');
  });

  it('accepts a visit inside one range and refuses one across the lunch break, before opening or on a day off', () => {
    expect(withinWorkingHours(berlin, { start: d('2026-12-07T07:00:00Z'), end: d('2026-12-07T11:00:00Z') })).toBe(true);
    expect(withinWorkingHours(berlin, { start: d('2026-12-07T10:30:00Z'), end: d('2026-12-07T12:30:00Z') })).toBe(false);
    expect(withinWorkingHours(berlin, { start: d('2026-12-07T06:30:00Z'), end: d('2026-12-07T07:30:00Z') })).toBe(false);
    expect(withinWorkingHours(berlin, { start: d('2026-12-08T09:00:00Z'), end: d('2026-12-08T10:00:00Z') })).toBe(false);
    expect(withinWorkingHours(berlin, { start: d('2026-12-12T21:00:00Z'), end: d('2026-12-12T23:00:00Z') })).toBe(true);
  });

  it('names the rule, the day and the hours in the 409', () => {
    expect(outsideWorkingHours('t1', berlin, { start: d('2026-12-08T09:00:00Z'), end: d('2026-12-08T10:00:00Z') }).problem).toMatchObject({
      status: 409,
      type: 'outside-working-hours',
      extensions: { rule: 'working-hours', weekday: 'tue', date: '2026-12-08', timeZone: 'Europe/Berlin', workingHours: [] },
    });
  });
});

describe('unavailability', () => {
  it('accepts a span and refuses end before start, bad instants, over a year and an empty reason', () => {
    expect(unavailabilitySpan({ start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z', reason: ' Vacation ' })).toMatchObject({ reason: 'Vacation' });
    const refused = (input: object, field: string) => expect(() => unavailabilitySpan({ start: '2026-12-24T00:00:00Z', end: '2026-12-25T00:00:00Z', reason: 'x', ...input })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422, errors: [expect.objectContaining({ field })] }) }));
    refused({ end: '2026-12-23T00:00:00Z' }, 'end');
    refused({ end: '2026-12-24T00:00:00Z' }, 'end');
    refused({ start: 'soon' }, 'start');
    refused({ end: '2028-12-24T00:00:00Z' }, 'end');
    refused({ reason: '   ' }, 'reason');
  });
});

describe('gaps', () => {
  it('subtracts busy spans, in any order, overlapping or not', () => {
    const spans = [{ start: d('2026-12-07T08:00:00Z'), end: d('2026-12-07T12:00:00Z') }];
    const gaps = subtract(spans, [
      { start: d('2026-12-07T10:00:00Z'), end: d('2026-12-07T11:00:00Z') },
      { start: d('2026-12-07T07:00:00Z'), end: d('2026-12-07T09:00:00Z') },
      { start: d('2026-12-07T10:30:00Z'), end: d('2026-12-07T11:30:00Z') },
    ]);
    expect(gaps.map((g) => [g.start.toISOString(), g.end.toISOString()])).toEqual([
      ['2026-12-07T09:00:00.000Z', '2026-12-07T10:00:00.000Z'],
      ['2026-12-07T11:30:00.000Z', '2026-12-07T12:00:00.000Z'],
    ]);
    expect(subtract(spans, [{ start: d('2026-12-07T00:00:00Z'), end: d('2026-12-08T00:00:00Z') }])).toEqual([]);
  });

  it('gives a day’s free time within the hours, cut to the window', () => {
    const window = { start: d('2026-12-07T00:00:00Z'), end: d('2026-12-07T14:00:00Z') };
    const gaps = dayGaps(berlin, '2026-12-07', [{ start: d('2026-12-07T08:00:00Z'), end: d('2026-12-07T09:00:00Z') }], window);
    expect(gaps.map((g) => [g.start.toISOString(), g.end.toISOString()])).toEqual([
      ['2026-12-07T07:00:00.000Z', '2026-12-07T08:00:00.000Z'],
      ['2026-12-07T09:00:00.000Z', '2026-12-07T11:00:00.000Z'],
      ['2026-12-07T12:00:00.000Z', '2026-12-07T14:00:00.000Z'],
    ]);
    expect(dayGaps(berlin, '2026-12-08', [], window)).toEqual([]);
  });

  it('lists the dates a span touches in a time zone', () => {
    expect(datesBetween(d('2026-12-06T23:00:00Z'), d('2026-12-08T23:00:00Z'), 'Europe/Berlin')).toEqual(['2026-12-07', '2026-12-08']);
    expect(datesBetween(d('2026-12-06T23:00:00Z'), d('2026-12-08T23:00:00Z'), 'UTC')).toEqual(['2026-12-06', '2026-12-07', '2026-12-08']);
  });
});
