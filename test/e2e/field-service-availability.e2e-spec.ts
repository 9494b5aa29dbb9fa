import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus, RANDOM_UUID } from '../support/http';

const HOUR = 3_600_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** UTC midnight `days` days from today, plus `hours`. */
const onDay = (days: number, hours = 0) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days) + hours * HOUR).toISOString();
};
const weekdayIn = (days: number) => WEEKDAYS[new Date(onDay(days)).getUTCDay()]!;
/** Days ahead of the next Sunday at least a week away (the technician's day off below). */
const SUNDAY = Array.from({ length: 7 }, (_, i) => 8 + i).find((d) => weekdayIn(d) === 'sun')!;
/** A weekday: the Monday after that Sunday. */
const MONDAY = SUNDAY + 1;
const TUESDAY = SUNDAY + 2;

describe('field service: technician working hours and unavailability', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;
  let tech: string;
  let jobId: string;

  const base = (t: string) => `/v1/field-service/technicians/${t}`;
  const book = (start: string, minutes = 60, technicianId = tech, job = jobId) =>
    c.post(`/v1/field-service/jobs/${job}/visits`, { scheduledStart: start, durationMinutes: minutes, technicianId }, acme.headers('agent'));
  const weekdays = (ranges: { start: string; end: string }[]) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, ranges]));

  beforeAll(async () => {
    api = await startApi();
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    tech = acme.users.technician.userId;
    const contact = expectStatus(await c.post('/v1/contacts', { name: 'Ada' }, acme.headers('agent')), 201);
    const address = expectStatus(await c.post(`/v1/contacts/${contact.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }, acme.headers('agent')), 201);
    jobId = expectStatus(await c.post('/v1/field-service/jobs', { contactId: contact.id, addressId: address.id, title: 'Boiler service' }, acme.headers('agent')), 201).id;
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('books only inside working hours: 409 outside-working-hours naming the day and hours, on schedule and reschedule', async () => {
    const hours = expectStatus(
      await c.put(`${base(tech)}/working-hours`, { timeZone: 'UTC', days: weekdays([{ start: '13:00', end: '17:00' }, { start: '08:00', end: '12:00' }]) }, acme.headers('admin')),
      200,
    );
    expect(hours).toMatchObject({ technicianId: tech, timeZone: 'UTC', version: 1, weekly: { mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }], sun: [] } });

    const early = expectProblem(await book(onDay(MONDAY, 7)), 409, 'outside-working-hours');
    expect(early).toMatchObject({ rule: 'working-hours', technicianId: tech, weekday: 'mon', timeZone: 'UTC', workingHours: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }] });
    expect(early.detail).toMatch(/08:00–12:00, 13:00–17:00 on mon/);
    expectProblem(await book(onDay(MONDAY, 11.5)), 409, 'outside-working-hours');
    expect(expectProblem(await book(onDay(SUNDAY, 10)), 409, 'outside-working-hours')).toMatchObject({ weekday: 'sun', workingHours: [] });

    const visit = expectStatus(await book(onDay(MONDAY, 8)), 201);
    expect(expectProblem(await c.post(`/v1/field-service/visits/${visit.id}/reschedule`, { scheduledStart: onDay(MONDAY, 16.5) }, acme.headers('agent')), 409, 'outside-working-hours').rule).toBe('working-hours');
    expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/reschedule`, { scheduledStart: onDay(MONDAY, 16) }, acme.headers('agent')), 200);

    // An unassigned visit outside the hours can be booked, but not given to the technician.
    const open = expectStatus(await c.post(`/v1/field-service/jobs/${jobId}/visits`, { scheduledStart: onDay(SUNDAY, 9), durationMinutes: 30 }, acme.headers('agent')), 201);
    expectProblem(await c.post(`/v1/field-service/visits/${open.id}/assign`, { technicianId: tech }, acme.headers('agent')), 409, 'outside-working-hours');

    // Another tenant's technician has no hours set: bookable any time.
    const gina = expectStatus(await c.post('/v1/contacts', { name: 'Gina' }, globex.headers('agent')), 201);
    const ginaAddress = expectStatus(await c.post(`/v1/contacts/${gina.id}/addresses`, { label: 'Home', street: '2 Main St', city: 'Shelbyville', country: 'US' }, globex.headers('agent')), 201);
    const gJob = expectStatus(await c.post('/v1/field-service/jobs', { contactId: gina.id, addressId: ginaAddress.id, title: 'Leak' }, globex.headers('agent')), 201);
    expectStatus(await c.post(`/v1/field-service/jobs/${gJob.id}/visits`, { scheduledStart: onDay(SUNDAY, 3), durationMinutes: 60, technicianId: globex.users.technician.userId }, globex.headers('agent')), 201);
  });

  it('reads the hours in their time zone, the tenant’s when none is given', async () => {
    const tenantZone = expectStatus(await c.put(`${base(tech)}/working-hours`, { days: weekdays([{ start: '08:00', end: '17:00' }]) }, acme.headers('admin')), 200);
    expect(tenantZone).toMatchObject({ timeZone: expect.any(String), version: 2 });
    const ny = expectStatus(await c.put(`${base(tech)}/working-hours`, { timeZone: 'America/New_York', days: weekdays([{ start: '08:00', end: '17:00' }]) }, acme.headers('admin')), 200);
    expect(ny.timeZone).toBe('America/New_York');
    // 08:00 UTC is 03:00 in New York; 14:00 UTC is 09:00 (EST or EDT).
    expect(expectProblem(await book(onDay(TUESDAY, 8)), 409, 'outside-working-hours').timeZone).toBe('America/New_York');
    expectStatus(await book(onDay(TUESDAY, 14)), 201);
    expectStatus(await c.put(`${base(tech)}/working-hours`, { timeZone: 'UTC', days: weekdays([{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }]) }, acme.headers('admin')), 200);
  });

  it('refuses bookings inside an unavailability (409 technician-unavailable), lists and removes it', async () => {
    const day = MONDAY + 7;
    const created = await c.post(`${base(tech)}/unavailability`, { start: onDay(day), end: onDay(day + 1), reason: 'Sick' }, acme.headers('admin'));
    const block = expectStatus(created, 201);
    expect(block).toMatchObject({ technicianId: tech, start: onDay(day), end: onDay(day + 1), reason: 'Sick' });
    expect(created.headers.get('location')).toBe(`/v1/field-service/technicians/${tech}/unavailability/${block.id}`);
    const slot = expectStatus(await c.post(`${base(tech)}/unavailability`, { start: onDay(day + 1, 9), end: onDay(day + 1, 10), reason: 'Van inspection' }, acme.headers('agent')), 201);

    const refused = expectProblem(await book(onDay(day, 9)), 409, 'technician-unavailable');
    expect(refused).toMatchObject({ rule: 'unavailability', unavailabilityId: block.id, reason: 'Sick', unavailableFrom: block.start, unavailableTo: block.end });
    expect(expectProblem(await book(onDay(day + 1, 8.5)), 409, 'technician-unavailable').unavailabilityId).toBe(slot.id);
    const after = expectStatus(await book(onDay(day + 1, 10)), 201);

    // The dispatch board shows the free time within the hours, minus the visit and the blocked slot.
    const board = expectStatus(await c.get(`/v1/field-service/dispatch?from=${encodeURIComponent(onDay(day))}&to=${encodeURIComponent(onDay(day + 2))}&technicianId=${tech}`, acme.headers('viewer')), 200);
    const sick = board.days.find((d: any) => d.date === onDay(day).slice(0, 10));
    expect(sick).toBeUndefined();
    const next = board.days.find((d: any) => d.date === onDay(day + 1).slice(0, 10));
    expect(next.technicians).toEqual([
      {
        technicianId: tech,
        visits: [expect.objectContaining({ id: after.id })],
        gaps: [
          { start: onDay(day + 1, 8), end: onDay(day + 1, 9) },
          { start: onDay(day + 1, 11), end: onDay(day + 1, 12) },
          { start: onDay(day + 1, 13), end: onDay(day + 1, 17) },
        ],
      },
    ]);
    const mine = expectStatus(await c.get(`${base(tech)}/unavailability?from=${encodeURIComponent(onDay(day))}&to=${encodeURIComponent(onDay(day + 3))}`, acme.headers('viewer')), 200);
    expect(mine).toMatchObject({ technicianId: tech, workingHours: { timeZone: 'UTC' }, unavailability: [{ id: block.id }, { id: slot.id }] });

    expect((await c.delete(`${base(tech)}/unavailability/${block.id}`, acme.headers('admin'))).status).toBe(204);
    expectProblem(await c.delete(`${base(tech)}/unavailability/${block.id}`, acme.headers('admin')), 404);
    expectStatus(await book(onDay(day, 9)), 201);
  });

  it('keeps each tenant’s calendars to itself: 404 for another tenant’s user or block, RLS behind it', async () => {
    const gTech = globex.users.technician.userId;
    const block = expectStatus(await c.post(`${base(tech)}/unavailability`, { start: onDay(40), end: onDay(41), reason: 'Vacation' }, acme.headers('admin')), 201);
    expectProblem(await c.put(`${base(gTech)}/working-hours`, { timeZone: 'UTC', days: {} }, acme.headers('admin')), 404);
    expectProblem(await c.post(`${base(gTech)}/unavailability`, { start: onDay(40), end: onDay(41), reason: 'x' }, acme.headers('admin')), 404);
    expectProblem(await c.get(`${base(gTech)}/unavailability`, acme.headers('admin')), 404);
    expectProblem(await c.get(`${base(tech)}/unavailability`, globex.headers('admin')), 404);
    expectProblem(await c.delete(`${base(tech)}/unavailability/${block.id}`, globex.headers('admin')), 404);
    expectProblem(await c.delete(`${base(gTech)}/unavailability/${block.id}`, globex.headers('admin')), 404);
    expectProblem(await c.put(`${base(RANDOM_UUID)}/working-hours`, { days: {} }, acme.headers('admin')), 404);
    const seen = await asTenantRole(globex.tenant.id, async (db) => [
      (await db.query(`SELECT count(*)::int AS n FROM fs_unavailability`)).rows[0].n,
      (await db.query(`SELECT count(*)::int AS n FROM fs_working_hours`)).rows[0].n,
    ]);
    expect(seen).toEqual([0, 0]);
    expect(expectStatus(await c.get(`${base(tech)}/unavailability?from=${encodeURIComponent(onDay(39))}`, acme.headers('viewer')), 200).unavailability.map((u: any) => u.id)).toContain(block.id);
  });

  it('refuses hostile input with problem+json and writes nothing', async () => {
    const before = expectStatus(await c.get(`${base(tech)}/unavailability?from=${encodeURIComponent(onDay(0))}`, acme.headers('viewer')), 200);
    const put = (body: unknown) => c.put(`${base(tech)}/working-hours`, body, acme.headers('admin'));
    const field = (res: Awaited<ReturnType<typeof put>>) => expectProblem(res, 422).errors?.map((e: any) => e.field) ?? [];

    expect(field(await put({ timeZone: 'UTC', days: { mon: [{ start: '12:00', end: '08:00' }] } }))).toEqual(['days.mon[0].end']);
    expect(field(await put({ timeZone: 'UTC', days: { mon: [{ start: '08:00', end: '12:00' }, { start: '11:30', end: '14:00' }] } }))).toEqual(['days.mon']);
    // Refused by the shared IANA rule before the domain sees it.
    expect(expectProblem(await put({ timeZone: 'Mars/Olympus_Mons', days: {} }), 400, 'validation-failed').errors).toEqual([{ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin or UTC' }]);
    expect(field(await put({ timeZone: 'UTC', days: { tue: [{ start: '25:00', end: '26:00' }] } }))).toEqual(['days.tue[0].start']);
    expect(field(await put({ timeZone: 'UTC', days: { tue: [{ start: '9am', end: '5pm' }] } }))).toEqual(['days.tue[0].start']);
    expect(field(await put({ timeZone: 'UTC', days: { tue: [{ start: '09:00' }] } }))).toEqual(['days.tue[0].end']);
    expect(field(await put({ timeZone: 'UTC', days: { someday: [] } }))).toEqual(['days.someday']);
    expect(field(await put({ timeZone: 'UTC', days: { wed: 'always' } }))).toEqual(['days.wed']);
    // Malformed bodies are refused by request validation (400), broken rules by the domain (422).
    expectProblem(await put({ timeZone: 'UTC' }), 400);
    expectProblem(await put({ timeZone: 'UTC', days: 'weekdays' }), 400);
    expectProblem(await c.put(`${base(acme.users.agent.userId)}/working-hours`, { timeZone: 'UTC', days: {} }, acme.headers('admin')), 422);
    expectProblem(await c.put(`${base('not-a-uuid')}/working-hours`, { timeZone: 'UTC', days: {} }, acme.headers('admin')), 400);
    expectProblem(await c.put(`${base(tech)}/working-hours`, { timeZone: 'UTC', days: {} }, acme.headers('viewer')), 403);

    const post = (body: unknown) => c.post(`${base(tech)}/unavailability`, body, acme.headers('admin'));
    expect(expectProblem(await post({ start: onDay(30), end: onDay(29), reason: 'Vacation' }), 422).detail).toMatch(/must be after start/);
    expectProblem(await post({ start: onDay(30), end: onDay(30), reason: 'Vacation' }), 422);
    expectProblem(await post({ start: 'tomorrow', end: onDay(31), reason: 'Vacation' }), 400);
    expectProblem(await post({ start: onDay(30), end: onDay(31) }), 400);
    expectProblem(await post({ start: onDay(30), end: onDay(31), reason: 'x'.repeat(201) }), 400);
    expectProblem(await post({ start: onDay(30), end: onDay(31), reason: '   ' }), 400);
    expectProblem(await post({ start: onDay(30), end: onDay(800), reason: 'Sabbatical' }), 422);
    expectProblem(await c.post(`${base(acme.users.agent.userId)}/unavailability`, { start: onDay(30), end: onDay(31), reason: 'x' }, acme.headers('admin')), 422);
    expectProblem(await c.get(`${base(tech)}/unavailability?from=${encodeURIComponent(onDay(5))}&to=${encodeURIComponent(onDay(4))}`, acme.headers('viewer')), 422);
    expectProblem(await c.delete(`${base(tech)}/unavailability/${RANDOM_UUID}`, acme.headers('admin')), 404);

    const after = expectStatus(await c.get(`${base(tech)}/unavailability?from=${encodeURIComponent(onDay(0))}`, acme.headers('viewer')), 200);
    expect(after).toEqual(before);
  });
});
