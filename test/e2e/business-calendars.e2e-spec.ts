import { asTenantRole, RANDOM_UUID } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { readyAgent, type AgentClient } from '../support/sockets';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

const WEEKDAYS_9_TO_5 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }]]));

/** A public-holiday feed as such feeds are published: all-day events, a yearly rule, a weekday rule, a timed event. */
const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example//Holidays//EN',
  'BEGIN:VEVENT',
  'UID:christmas@example.test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20261225',
  'DTEND;VALUE=DATE:20261227',
  'SUMMARY:Christmas',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:newyear@example.test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20270101',
  'RRULE:FREQ=YEARLY',
  'SUMMARY:New Year',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:thanks@example.test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;VALUE=DATE:20261126',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH',
  'SUMMARY:Thanksgiving',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:party@example.test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART:20261218T150000Z',
  'DTEND:20261218T180000Z',
  'SUMMARY:Office party (timed: not a holiday)',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

/** Business calendars through HTTP: set up by owners and admins, read by agents, used by groups, answering business time. */
describe('business calendars', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let socket: AgentClient;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
    socket = await readyAgent(api.url, acme.tokens.agent);
  });
  afterAll(async () => {
    socket?.close();
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'admin', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  it('creates, reads, changes and deletes calendars, and answers business time across a weekend and holidays', async () => {
    const created = await call(acme, 'POST', '/business-calendars', { name: ' Berlin office ', timeZone: 'Europe/Berlin', week: WEEKDAYS_9_TO_5, holidays: [{ date: '2026-12-24', name: 'Christmas Eve' }] });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/business-calendars/${created.body.id}`);
    expect(created.body).toMatchObject({ name: 'Berlin office', timeZone: 'Europe/Berlin', holidays: [{ date: '2026-12-24', name: 'Christmas Eve', recurring: false }], version: 1 });
    const id = created.body.id;
    expect(await socket.next('business_calendar.changed', (e) => e.calendarId === id)).toMatchObject({ op: 'created' });
    expect((await call(acme, 'POST', '/business-calendars', { name: 'BERLIN OFFICE', timeZone: 'UTC', week: WEEKDAYS_9_TO_5 })).status).toBe(409);
    expect((await call(acme, 'POST', '/business-calendars', { name: 'Mine', timeZone: 'UTC', week: WEEKDAYS_9_TO_5 }, 'agent')).status).toBe(403);

    // Wednesday 23 December 16:30 Berlin + 60 business minutes: Christmas Eve is a holiday, and
    // the feed below closes the 25th and 26th; before the import only the 24th is closed.
    const before = await call(acme, 'GET', `/business-calendars/${id}/business-time?from=2026-12-23T15:30:00Z&addMinutes=60`, undefined, 'agent');
    expect(before.body).toMatchObject({ openAtFrom: true, due: '2026-12-25T08:30:00.000Z' });

    const imported = await call(acme, 'POST', `/business-calendars/${id}/holidays/import`, { ics: FEED });
    expect(imported.status).toBe(200);
    expect(imported.body.imported).toBeGreaterThanOrEqual(4);
    const holidays = imported.body.calendar.holidays as { date: string; name: string; recurring: boolean }[];
    expect(holidays).toEqual(
      expect.arrayContaining([
        { date: '2026-12-24', name: 'Christmas Eve', recurring: false },
        { date: '2026-12-25', name: 'Christmas', recurring: false },
        { date: '2026-12-26', name: 'Christmas', recurring: false },
        { date: '2027-01-01', name: 'New Year', recurring: true },
        { date: '2026-11-26', name: 'Thanksgiving', recurring: false },
        { date: '2027-11-25', name: 'Thanksgiving', recurring: false },
      ]),
    );
    expect(holidays.some((h) => h.name.startsWith('Office party'))).toBe(false);
    const after = await call(acme, 'GET', `/business-calendars/${id}/business-time?from=2026-12-23T15:30:00Z&addMinutes=60&to=2026-12-28T16:00:00Z`, undefined, 'agent');
    // 30 minutes on the 23rd, then Monday the 28th from 09:00: 09:30 Berlin; 30 + 180 + 240 minutes to Monday 17:00.
    expect(after.body).toMatchObject({ due: '2026-12-28T08:30:00.000Z', businessMinutes: 30 + 3 * 60 + 4 * 60 });

    const changed = await call(acme, 'PATCH', `/business-calendars/${id}`, { name: 'Berlin HQ' }, 'admin', { 'if-match': 'W/"2"' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Berlin HQ', version: 3, timeZone: 'Europe/Berlin' });
    expect((await call(acme, 'PATCH', `/business-calendars/${id}`, { name: 'Stale' }, 'admin', { 'if-match': 'W/"2"' })).status).toBe(412);

    // A group uses it: it cannot be deleted until the group moves on.
    const group = await call(acme, 'POST', '/groups', { name: 'Support DE', businessCalendarId: id });
    expect(group.status).toBe(201);
    const refused = await call(acme, 'DELETE', `/business-calendars/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/Support DE/);
    expect((await call(acme, 'PATCH', `/groups/${group.body.id}`, { businessCalendarId: null }, 'admin')).status).toBe(200);
    expect((await call(acme, 'DELETE', `/business-calendars/${id}`)).status).toBe(204);
    expect((await call(acme, 'GET', `/business-calendars/${id}`, undefined, 'agent')).status).toBe(404);
    expect((await call(acme, 'GET', '/business-calendars', undefined, 'viewer')).body.data.map((c: { id: string }) => c.id)).not.toContain(id);
    const audit = await call(acme, 'GET', `/audit-logs?entityId=${id}`, undefined, 'owner');
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['business_calendar.created', 'business_calendar.updated', 'business_calendar.deleted']));
  });

  it('refuses calendars and questions that make no sense, naming the field', async () => {
    for (const [body, status, field] of [
      [{ name: 'A', timeZone: 'Mars/Olympus', week: WEEKDAYS_9_TO_5 }, 422, 'timeZone'],
      [{ name: 'A', timeZone: 'UTC', week: {} }, 422, 'week'],
      [{ name: 'A', timeZone: 'UTC', week: { mon: [{ start: '17:00', end: '09:00' }] } }, 422, 'week.mon[0]'],
      [{ name: 'A', timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] } }, 422, 'week.mon[1]'],
      [{ name: 'A', timeZone: 'UTC', week: { mon: [{ start: '9am', end: '17:00' }] } }, 400, 'week.mon.0.start'],
      [{ name: 'A', timeZone: 'UTC', week: { someday: [] } }, 400, 'week.someday'],
      [{ name: 'A', timeZone: 'UTC', week: WEEKDAYS_9_TO_5, holidays: [{ date: '2026-02-30', name: 'Nope' }] }, 422, 'holidays[0].date'],
      [{ name: 'A', timeZone: 'UTC', week: { mon: Array.from({ length: 7 }, (_, i) => ({ start: `0${i}:00`, end: `0${i}:30` })) } }, 400, 'week.mon'],
      [{ timeZone: 'UTC', week: WEEKDAYS_9_TO_5 }, 400, 'name'],
    ] as const) {
      const res = await call(acme, 'POST', '/business-calendars', body);
      expect([res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([status, expect.arrayContaining([field])]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const cal = await call(acme, 'POST', '/business-calendars', { name: 'UTC desk', timeZone: 'UTC', week: WEEKDAYS_9_TO_5 });
    const notIcs = await call(acme, 'POST', `/business-calendars/${cal.body.id}/holidays/import`, { ics: 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Pat\r\nEND:VCARD' });
    expect([notIcs.status, notIcs.body.errors?.[0]?.field]).toEqual([422, 'ics']);
    expect((await call(acme, 'POST', `/business-calendars/${cal.body.id}/holidays/import`, { ics: 'hello' })).status).toBe(422);
    for (const query of ['', 'from=yesterday&addMinutes=5', 'from=2026-12-01T00:00:00Z', 'from=2026-12-01T00:00:00Z&addMinutes=-1', 'from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', 'from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z']) {
      const res = await call(acme, 'GET', `/business-calendars/${cal.body.id}/business-time?${query}`, undefined, 'agent');
      expect([400, 422]).toContain(res.status);
    }
    // A group names only a live calendar of its own tenant.
    const foreign = await call(globex, 'POST', '/business-calendars', { name: 'Globex', timeZone: 'America/New_York', week: WEEKDAYS_9_TO_5 });
    const refused = await call(acme, 'POST', '/groups', { name: 'Borrowing', businessCalendarId: foreign.body.id });
    expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([422, 'businessCalendarId']);
  });

  it('answers another tenant’s calendar ids with 404, and row-level security backs it up', async () => {
    const cal = await call(acme, 'POST', '/business-calendars', { name: 'Acme private', timeZone: 'Europe/Paris', week: WEEKDAYS_9_TO_5 });
    for (const [method, path, body] of [
      ['GET', `/business-calendars/${cal.body.id}`, undefined],
      ['PATCH', `/business-calendars/${cal.body.id}`, { name: 'Taken' }],
      ['DELETE', `/business-calendars/${cal.body.id}`, undefined],
      ['POST', `/business-calendars/${cal.body.id}/holidays/import`, { ics: FEED }],
      ['GET', `/business-calendars/${cal.body.id}/business-time?from=2026-12-01T00:00:00Z&addMinutes=5`, undefined],
      ['GET', `/business-calendars/${RANDOM_UUID}`, undefined],
    ] as const) {
      expect([method, path, (await call(globex, method, path, body, 'owner')).status]).toEqual([method, path, 404]);
    }
    expect((await call(globex, 'GET', '/business-calendars', undefined, 'owner')).body.data.map((c: { name: string }) => c.name)).not.toContain('Acme private');
    const seen = await asTenantRole(globex.tenant.id, async (db) => (await db.query(`SELECT count(*)::int AS n FROM business_calendars WHERE tenant_id = $1`, [acme.tenant.id])).rows[0].n);
    expect(seen).toBe(0);
    expect((await call(acme, 'GET', `/business-calendars/${cal.body.id}`, undefined, 'viewer')).body.name).toBe('Acme private');
  });
});
