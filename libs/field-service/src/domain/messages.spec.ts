import { DEFAULT_MESSAGE_SETTINGS, isTimeZone, planVisitMessages, retryDelayMs, serviceReminderAt, staleReason } from './messages';

const now = new Date('2026-12-01T10:00:00.000Z');
const visit = (start: string, minutes = 60) => ({ start: new Date(start), end: new Date(new Date(start).getTime() + minutes * 60_000) });

describe('planVisitMessages', () => {
  it('books a notice now and a reminder the lead time before the visit', () => {
    const planned = planVisitMessages('booked', visit('2026-12-05T08:00:00.000Z'), now, DEFAULT_MESSAGE_SETTINGS);
    expect(planned.map((p) => [p.kind, p.sendAt.toISOString()])).toEqual([
      ['visit_confirmation', now.toISOString()],
      ['visit_reminder', '2026-12-04T08:00:00.000Z'],
    ]);
    expect(planned[1]!.visitStart!.toISOString()).toBe('2026-12-05T08:00:00.000Z');
    expect(planned[1]!.visitEnd!.toISOString()).toBe('2026-12-05T09:00:00.000Z');
  });

  it('sends a move notice for a moved visit', () => {
    expect(planVisitMessages('moved', visit('2026-12-05T08:00:00.000Z'), now, DEFAULT_MESSAGE_SETTINGS)[0]!.kind).toBe('visit_rescheduled');
  });

  it('skips a reminder whose instant has passed: a visit booked closer than the lead gets its notice only', () => {
    expect(planVisitMessages('booked', visit('2026-12-01T20:00:00.000Z'), now, DEFAULT_MESSAGE_SETTINGS).map((p) => p.kind)).toEqual(['visit_confirmation']);
  });

  it('follows the tenant’s settings: no notices, no reminders', () => {
    expect(planVisitMessages('booked', visit('2026-12-05T08:00:00.000Z'), now, { ...DEFAULT_MESSAGE_SETTINGS, visitConfirmations: false }).map((p) => p.kind)).toEqual(['visit_reminder']);
    expect(planVisitMessages('booked', visit('2026-12-05T08:00:00.000Z'), now, { ...DEFAULT_MESSAGE_SETTINGS, visitReminderMinutes: 0 }).map((p) => p.kind)).toEqual(['visit_confirmation']);
  });

  it('plans nothing for a visit that has already started (an event handled late)', () => {
    expect(planVisitMessages('booked', visit('2026-12-01T09:00:00.000Z'), now, DEFAULT_MESSAGE_SETTINGS)).toEqual([]);
  });
});

describe('serviceReminderAt', () => {
  it('is the hour on the due day in the customer’s zone, across DST', () => {
    expect(serviceReminderAt('2027-01-15', 'Europe/Berlin', DEFAULT_MESSAGE_SETTINGS).toISOString()).toBe('2027-01-15T08:00:00.000Z');
    expect(serviceReminderAt('2027-07-15', 'Europe/Berlin', DEFAULT_MESSAGE_SETTINGS).toISOString()).toBe('2027-07-15T07:00:00.000Z');
    expect(serviceReminderAt('2027-03-14', 'America/New_York', { ...DEFAULT_MESSAGE_SETTINGS, serviceReminderHour: 10 }).toISOString()).toBe('2027-03-14T14:00:00.000Z');
  });
});

describe('staleReason', () => {
  const at = '2026-12-05T08:00:00.000Z';
  it('holds while the visit is scheduled at the time the message speaks of', () => {
    expect(staleReason({ kind: 'visit_reminder', visitStart: at }, { status: 'scheduled', scheduledStart: at })).toBeNull();
  });
  it('drops a message about a moved, cancelled, started or missing visit', () => {
    expect(staleReason({ kind: 'visit_reminder', visitStart: at }, { status: 'scheduled', scheduledStart: '2026-12-06T08:00:00.000Z' })).toMatch(/moved/);
    expect(staleReason({ kind: 'visit_reminder', visitStart: at }, { status: 'cancelled', scheduledStart: at })).toBe('The visit is cancelled.');
    expect(staleReason({ kind: 'visit_confirmation', visitStart: at }, { status: 'in_progress', scheduledStart: at })).toBe('The visit is in progress.');
    expect(staleReason({ kind: 'visit_reminder', visitStart: at }, undefined)).toBe('The visit no longer exists.');
  });
  it('keeps a cancellation notice only while the visit stays cancelled; service reminders always hold', () => {
    expect(staleReason({ kind: 'visit_cancelled', visitStart: at }, { status: 'cancelled', scheduledStart: at })).toBeNull();
    expect(staleReason({ kind: 'visit_cancelled', visitStart: at }, { status: 'scheduled', scheduledStart: at })).toMatch(/no longer cancelled/);
    expect(staleReason({ kind: 'service_reminder', visitStart: null }, undefined)).toBeNull();
  });
});

describe('retries and zones', () => {
  it('backs off 1, 4, 16, 64 minutes, capped at an hour', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 4, 16, 60, 60]);
  });
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isTimeZone('Europe/Vienna')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
