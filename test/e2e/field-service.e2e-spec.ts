import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';
import { asTenantRole, client, expectProblem, expectStatus, pgErrorCode, RANDOM_UUID, type HttpResult } from '../support/http';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A whole-minute instant `days` days and `hours` hours from now, so visits never start in the past. */
const at = (days: number, hours = 0) => new Date(Math.ceil((Date.now() + days * DAY + hours * HOUR) / 60_000) * 60_000).toISOString();
/** `hours` past UTC midnight, `days` days from today. */
const onDay = (days: number, hours: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days) + hours * HOUR).toISOString();
};

describe('field service: catalog, jobs, visits, dispatch, time on site, line items', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let c: ReturnType<typeof client>;

  /** A contact with one address, in a tenant. */
  async function customer(t: TenantSession, name: string): Promise<{ contactId: string; addressId: string }> {
    const contact = expectStatus(await c.post('/v1/contacts', { name }, t.headers('agent')), 201);
    const address = expectStatus(await c.post(`/v1/contacts/${contact.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }, t.headers('agent')), 201);
    return { contactId: contact.id, addressId: address.id };
  }

  async function job(t: TenantSession, who: { contactId: string; addressId: string }, title = 'Boiler service'): Promise<any> {
    return expectStatus(await c.post('/v1/field-service/jobs', { ...who, title }, t.headers('agent')), 201);
  }

  const events = (tenantId: string, jobId: string) =>
    asTenantRole(tenantId, async (db) => (await db.query(`SELECT type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY position`, [jobId])).rows as { type: string; payload: any }[]);

  let ada: { contactId: string; addressId: string };
  let bob: { contactId: string; addressId: string };
  let gina: { contactId: string; addressId: string };

  beforeAll(async () => {
    api = await startApi();
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    ada = await customer(acme, 'Ada');
    bob = await customer(acme, 'Bob');
    gina = await customer(globex, 'Gina');
  });
  afterAll(async () => {
    await api?.stop();
  });

  describe('service catalog', () => {
    it('creates fixed, flexible and per-unit services, lists, changes and soft-deletes them', async () => {
      const fixed = expectStatus(await c.post('/v1/field-service/services', { name: 'Boiler check', pricingType: 'fixed', unitPrice: 8900, currency: 'EUR', taxRateBp: 1900, defaultDurationMinutes: 90 }, acme.headers('admin')), 201);
      expect(fixed).toMatchObject({ name: 'Boiler check', pricingType: 'fixed', unitPrice: 8900, unitLabel: null, currency: 'EUR', taxRateBp: 1900, defaultDurationMinutes: 90, active: true, version: 1 });
      const flexible = expectStatus(await c.post('/v1/field-service/services', { name: 'Repair', pricingType: 'flexible', currency: 'EUR' }, acme.headers('admin')), 201);
      expect(flexible).toMatchObject({ pricingType: 'flexible', unitPrice: null, taxRateBp: 0, defaultDurationMinutes: 60 });
      const perUnit = expectStatus(await c.post('/v1/field-service/services', { name: 'Windows', pricingType: 'per_unit', unitPrice: 250, unitLabel: 'window', currency: 'EUR' }, acme.headers('admin')), 201);
      expect(perUnit).toMatchObject({ unitPrice: 250, unitLabel: 'window' });

      const list = expectStatus(await c.get('/v1/field-service/services?limit=2', acme.headers('viewer')), 200);
      expect(list.data).toHaveLength(2);
      const next = expectStatus(await c.get(`/v1/field-service/services?limit=2&cursor=${list.nextCursor}`, acme.headers('viewer')), 200);
      expect([...list.data, ...next.data].map((s: any) => s.id)).toEqual(expect.arrayContaining([fixed.id, flexible.id, perUnit.id]));

      const changed = expectStatus(await c.patch(`/v1/field-service/services/${fixed.id}`, { unitPrice: 9900 }, acme.headers('admin', { 'if-match': 'W/"1"' })), 200);
      expect(changed).toMatchObject({ unitPrice: 9900, version: 2 });
      expectProblem(await c.patch(`/v1/field-service/services/${fixed.id}`, { unitPrice: 1 }, acme.headers('admin', { 'if-match': 'W/"1"' })), 412);
      expectProblem(await c.patch(`/v1/field-service/services/${fixed.id}`, { pricingType: 'per_unit' }, acme.headers('admin')), 422);
      expect(expectStatus(await c.get(`/v1/field-service/services/${fixed.id}`, acme.headers('viewer')), 200).unitPrice).toBe(9900);

      expect((await c.delete(`/v1/field-service/services/${perUnit.id}`, acme.headers('admin'))).status).toBe(204);
      expectProblem(await c.get(`/v1/field-service/services/${perUnit.id}`, acme.headers('viewer')), 404);
      expectProblem(await c.delete(`/v1/field-service/services/${perUnit.id}`, acme.headers('admin')), 404);
      const after = expectStatus(await c.get('/v1/field-service/services?limit=100', acme.headers('viewer')), 200);
      expect(after.data.map((s: any) => s.id)).not.toContain(perUnit.id);
    });

    it('refuses hostile catalog input with problem+json and writes nothing', async () => {
      const before = expectStatus(await c.get('/v1/field-service/services?limit=100', acme.headers('viewer')), 200).data.length;
      const bad: [unknown, number][] = [
        [{ name: 'Neg', pricingType: 'fixed', unitPrice: -1, currency: 'EUR' }, 400],
        [{ name: 'Float', pricingType: 'fixed', unitPrice: 10.5, currency: 'EUR' }, 400],
        [{ name: 'Enum', pricingType: 'hourly', unitPrice: 100, currency: 'EUR' }, 400],
        [{ name: 'Currency', pricingType: 'fixed', unitPrice: 100, currency: 'euro' }, 400],
        [{ name: 'Tax', pricingType: 'fixed', unitPrice: 100, currency: 'EUR', taxRateBp: 10001 }, 400],
        [{ name: 'Zero duration', pricingType: 'fixed', unitPrice: 100, currency: 'EUR', defaultDurationMinutes: 0 }, 400],
        [{ name: 'Long duration', pricingType: 'fixed', unitPrice: 100, currency: 'EUR', defaultDurationMinutes: 721 }, 400],
        [{ name: 'x'.repeat(201), pricingType: 'fixed', unitPrice: 100, currency: 'EUR' }, 400],
        [{ name: '   ', pricingType: 'fixed', unitPrice: 100, currency: 'EUR' }, 400],
        [{ name: 'Mass', pricingType: 'fixed', unitPrice: 100, currency: 'EUR', tenantId: globex.tenant.id }, 400],
        [{ name: 'Fixed without price', pricingType: 'fixed', currency: 'EUR' }, 422],
        [{ name: 'Flexible with price', pricingType: 'flexible', unitPrice: 100, currency: 'EUR' }, 422],
        [{ name: 'Per unit without label', pricingType: 'per_unit', unitPrice: 100, currency: 'EUR' }, 422],
        [{ name: 'Fixed with label', pricingType: 'fixed', unitPrice: 100, unitLabel: 'hour', currency: 'EUR' }, 422],
      ];
      for (const [body, status] of bad) {
        const res = await c.post('/v1/field-service/services', body, acme.headers('admin'));
        expectProblem(res, status);
      }
      expect(expectStatus(await c.get('/v1/field-service/services?limit=100', acme.headers('viewer')), 200).data).toHaveLength(before);
      expectProblem(await c.post('/v1/field-service/services', { name: 'No', pricingType: 'fixed', unitPrice: 1, currency: 'EUR' }, acme.headers('viewer')), 403);
    });
  });

  describe('jobs and visits', () => {
    it('creates a job for a contact at their address, with its event and history', async () => {
      const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'Boiler knocks', requesterId: ada.contactId }, acme.headers('agent')), 201);
      const created = expectStatus(await c.post('/v1/field-service/jobs', { ...ada, title: 'Fix the boiler', ticketId: ticket.id }, acme.headers('agent')), 201);
      expect(created).toMatchObject({ ...ada, ticketId: ticket.id, title: 'Fix the boiler', status: 'scheduled', currency: null, visits: [], lineItems: [], notes: [], totals: { subtotal: 0, tax: 0, total: 0 } });
      const read = expectStatus(await c.get(`/v1/field-service/jobs/${created.id}`, acme.headers('viewer')), 200);
      expect(read).toEqual(created);
      const listed = expectStatus(await c.get(`/v1/field-service/jobs?contactId=${ada.contactId}`, acme.headers('viewer')), 200);
      expect(listed.data.map((j: any) => j.id)).toContain(created.id);
      const history = expectStatus(await c.get(`/v1/field-service/jobs/${created.id}/history`, acme.headers('viewer')), 200);
      expect(history.data[0]).toMatchObject({ action: 'job.created', changes: { title: { to: 'Fix the boiler' } } });
      expect(await events(acme.tenant.id, created.id)).toEqual([{ type: 'field_service.job_created', payload: expect.objectContaining({ contactId: ada.contactId, ticketId: ticket.id, status: 'scheduled' }) }]);
    });

    it('answers 404 for another tenant’s contact, address or ticket, and 422 for another contact’s address', async () => {
      const gTicket = expectStatus(await c.post('/v1/tickets', { subject: 'Theirs', requesterId: gina.contactId }, globex.headers('agent')), 201);
      expectProblem(await c.post('/v1/field-service/jobs', { ...gina, title: 'x' }, acme.headers('agent')), 404);
      expectProblem(await c.post('/v1/field-service/jobs', { contactId: ada.contactId, addressId: gina.addressId, title: 'x' }, acme.headers('agent')), 404);
      expectProblem(await c.post('/v1/field-service/jobs', { ...ada, title: 'x', ticketId: gTicket.id }, acme.headers('agent')), 404);
      const wrong = expectProblem(await c.post('/v1/field-service/jobs', { contactId: ada.contactId, addressId: bob.addressId, title: 'x' }, acme.headers('agent')), 422);
      expect(wrong.detail).toContain(bob.addressId);
      expectProblem(await c.post('/v1/field-service/jobs', { ...ada, title: '' }, acme.headers('agent')), 400);
      expectProblem(await c.post('/v1/field-service/jobs', { ...ada, contactId: 'nope', title: 'x' }, acme.headers('agent')), 400);
      const jobs = expectStatus(await c.get(`/v1/field-service/jobs?contactId=${ada.contactId}&limit=100`, acme.headers('viewer')), 200);
      expect(jobs.data.every((j: any) => j.title !== 'x')).toBe(true);
    });

    it('schedules visits and refuses hostile timing and assignees', async () => {
      const j = await job(acme, ada);
      const tech = acme.users.technician.userId;
      const visit = expectStatus(
        await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(2, 1), durationMinutes: 90, technicianId: tech, arrivalWindowStart: at(2), arrivalWindowEnd: at(2, 2) }, acme.headers('agent')),
        201,
      );
      expect(visit).toMatchObject({ jobId: j.id, technicianId: tech, status: 'scheduled', durationMinutes: 90, clockedInAt: null, actualMinutes: null });
      expect(new Date(visit.scheduledEnd).getTime() - new Date(visit.scheduledStart).getTime()).toBe(90 * 60_000);
      const emitted = await events(acme.tenant.id, j.id);
      expect(emitted.map((e) => e.type)).toEqual(['field_service.job_created', 'field_service.visit_scheduled']);
      expect(emitted[1].payload).toEqual({ visitId: visit.id, technicianId: tech, scheduledStart: visit.scheduledStart, scheduledEnd: visit.scheduledEnd, version: visit.version });

      const path = `/v1/field-service/jobs/${j.id}/visits`;
      expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 0 }, acme.headers('agent')), 400);
      expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 721 }, acme.headers('agent')), 400);
      expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 1.5 }, acme.headers('agent')), 400);
      expectProblem(await c.post(path, { scheduledStart: 'tomorrow', durationMinutes: 60 }, acme.headers('agent')), 400);
      const past = expectProblem(await c.post(path, { scheduledStart: at(-1), durationMinutes: 60 }, acme.headers('agent')), 422);
      expect(past.detail).toMatch(/past/);
      expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 60, arrivalWindowStart: at(3, 1) }, acme.headers('agent')), 422);
      expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 60, arrivalWindowStart: at(3, 1), arrivalWindowEnd: at(3, 2) }, acme.headers('agent')), 422);
      const agent = expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 60, technicianId: acme.users.agent.userId }, acme.headers('agent')), 422);
      expect(agent.detail).toMatch(/not a technician/);
      expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 60, technicianId: globex.users.technician.userId }, acme.headers('agent')), 422);
      expectProblem(await c.post(path, { scheduledStart: at(3), durationMinutes: 60, technicianId: RANDOM_UUID }, acme.headers('agent')), 422);
      expectProblem(await c.post(`/v1/field-service/jobs/${RANDOM_UUID}/visits`, { scheduledStart: at(3), durationMinutes: 60 }, acme.headers('agent')), 404);
      expect(expectStatus(await c.get(`/v1/field-service/jobs/${j.id}`, acme.headers('viewer')), 200).visits).toHaveLength(1);
    });

    it('refuses an overlapping booking of a technician with 409 naming the visit, and frees a cancelled slot', async () => {
      const tech = acme.users.technician.userId;
      const j = await job(acme, bob, 'Overlaps');
      const start = at(10);
      const first = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: start, durationMinutes: 60, technicianId: tech }, acme.headers('agent')), 201);
      const clash = expectProblem(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(10, 0.5), durationMinutes: 60, technicianId: tech }, acme.headers('agent')), 409, 'double-booking');
      expect(clash.conflictingVisitId).toBe(first.id);
      // The database itself refuses the overlap, whatever the application checked before.
      const code = await asTenantRole(acme.tenant.id, (db) =>
        pgErrorCode(db, `INSERT INTO fs_visits (tenant_id, job_id, technician_id, scheduled_start, scheduled_end) VALUES ($1, $2, $3, $4, $5)`, [acme.tenant.id, j.id, tech, at(10, 0.5), at(10, 1.5)]),
      );
      expect(code).toBe('23P01');
      // Back to back is not an overlap; unassigned visits never conflict.
      expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(10, 1), durationMinutes: 30, technicianId: tech }, acme.headers('agent')), 201);
      expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: start, durationMinutes: 60 }, acme.headers('agent')), 201);
      expectStatus(await c.post(`/v1/field-service/visits/${first.id}/cancel`, {}, acme.headers('agent')), 200);
      expectProblem(await c.post(`/v1/field-service/visits/${first.id}/cancel`, {}, acme.headers('agent')), 409);
      expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: start, durationMinutes: 60, technicianId: tech }, acme.headers('agent')), 201);
    });

    it('books one technician for one slot exactly once out of 20 parallel requests', async () => {
      const tech = acme.users.technician.userId;
      const jobs = await Promise.all(Array.from({ length: 4 }, (_, i) => job(acme, ada, `Race ${i}`)));
      const start = at(20);
      const results: HttpResult[] = await Promise.all(
        Array.from({ length: 20 }, (_, i) => c.post(`/v1/field-service/jobs/${jobs[i % 4].id}/visits`, { scheduledStart: start, durationMinutes: 120, technicianId: tech }, acme.headers('agent'))),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      const winner = results.find((r) => r.status === 201)!.body;
      for (const r of results.filter((x) => x.status === 409)) {
        expect(expectProblem(r, 409, 'double-booking').conflictingVisitId).toBe(winner.id);
      }
      const board = expectStatus(await c.get(`/v1/field-service/dispatch?from=${encodeURIComponent(at(19))}&to=${encodeURIComponent(at(21))}&technicianId=${tech}`, acme.headers('viewer')), 200);
      expect(board.days.flatMap((d: any) => d.technicians.flatMap((t: any) => t.visits)).map((v: any) => v.id)).toEqual([winner.id]);
    });
  });

  describe('dispatch', () => {
    it('reschedules and reassigns with history, shows the board unassigned first and a technician their day', async () => {
      const tech = acme.users.technician.userId;
      const j = await job(acme, ada, 'Dispatch');
      const assigned = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: onDay(30, 10), durationMinutes: 60, technicianId: tech }, acme.headers('agent')), 201);
      const open = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: onDay(30, 12), durationMinutes: 45 }, acme.headers('agent')), 201);

      const moved = expectStatus(await c.post(`/v1/field-service/visits/${assigned.id}/reschedule`, { scheduledStart: onDay(30, 9) }, acme.headers('agent')), 200);
      expect(moved).toMatchObject({ durationMinutes: 60, version: 2 });
      expect(moved.scheduledStart).toBe(onDay(30, 9));
      expectProblem(await c.post(`/v1/field-service/visits/${assigned.id}/reschedule`, { scheduledStart: at(-1) }, acme.headers('agent')), 422);
      expectProblem(await c.post(`/v1/field-service/visits/${assigned.id}/reschedule`, { scheduledStart: onDay(30, 9), durationMinutes: 0 }, acme.headers('agent')), 400);
      expectProblem(await c.post(`/v1/field-service/visits/${open.id}/assign`, { technicianId: acme.users.viewer.userId }, acme.headers('agent')), 422);
      const reassigned = expectStatus(await c.post(`/v1/field-service/visits/${open.id}/assign`, { technicianId: tech }, acme.headers('agent')), 200);
      expect(reassigned.technicianId).toBe(tech);
      expectStatus(await c.post(`/v1/field-service/visits/${open.id}/assign`, { technicianId: null }, acme.headers('agent')), 200);

      const history = expectStatus(await c.get(`/v1/field-service/jobs/${j.id}/history`, acme.headers('viewer')), 200);
      expect(history.data.map((e: any) => e.action)).toEqual(['visit.assigned', 'visit.assigned', 'visit.rescheduled', 'visit.scheduled', 'visit.scheduled', 'job.created']);
      expect(history.data[2]).toMatchObject({ visitId: assigned.id, changes: { scheduledStart: { from: assigned.scheduledStart, to: moved.scheduledStart } } });
      const emitted = await events(acme.tenant.id, j.id);
      expect(emitted.find((e) => e.type === 'field_service.visit_rescheduled')!.payload).toEqual({
        visitId: assigned.id,
        technicianId: tech,
        from: { scheduledStart: assigned.scheduledStart, scheduledEnd: assigned.scheduledEnd },
        to: { scheduledStart: moved.scheduledStart, scheduledEnd: moved.scheduledEnd },
        version: moved.version,
      });

      const day = onDay(30, 0).slice(0, 10);
      const board = expectStatus(await c.get(`/v1/field-service/dispatch?from=${day}T00:00:00Z&to=${day}T23:59:59Z`, acme.headers('viewer')), 200);
      const thatDay = board.days.find((d: any) => d.date === day);
      expect(thatDay.technicians[0]).toMatchObject({ technicianId: null });
      expect(thatDay.technicians[0].visits.map((v: any) => v.id)).toContain(open.id);
      const mine = thatDay.technicians.find((t: any) => t.technicianId === tech);
      expect(mine.visits.map((v: any) => v.id)).toContain(assigned.id);
      expect(mine.visits.find((v: any) => v.id === assigned.id).job).toMatchObject({ id: j.id, title: 'Dispatch', contactId: ada.contactId });

      const myDay = expectStatus(await c.get(`/v1/field-service/my-visits?date=${day}`, acme.headers('technician')), 200);
      expect(myDay.data.map((v: any) => v.id)).toContain(assigned.id);
      expect(myDay.data.map((v: any) => v.id)).not.toContain(open.id);
      expect(expectStatus(await c.get(`/v1/field-service/my-visits?date=${day}`, acme.headers('agent')), 200).data).toEqual([]);

      expectProblem(await c.get('/v1/field-service/dispatch?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', acme.headers('viewer')), 422);
      expectProblem(await c.get('/v1/field-service/dispatch?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', acme.headers('viewer')), 422);
      expectProblem(await c.get('/v1/field-service/dispatch?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&tz=Mars/Olympus', acme.headers('viewer')), 400, 'validation-failed');
      expectProblem(await c.get('/v1/field-service/dispatch?from=yesterday&to=today', acme.headers('viewer')), 400);
      expectProblem(await c.get('/v1/field-service/my-visits?date=2026-13-45', acme.headers('technician')), 400);
    });
  });

  describe('on the job', () => {
    it('clocks in and out, prices line items, completes the job and then refuses every change', async () => {
      const tech = acme.users.technician.userId;
      const j = await job(acme, bob, 'Windows and boiler');
      const visit = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(0, 1), durationMinutes: 60, technicianId: tech }, acme.headers('agent')), 201);
      const later = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(5), durationMinutes: 60 }, acme.headers('agent')), 201);

      const tooEarly = expectProblem(await c.post(`/v1/field-service/visits/${visit.id}/clock-out`, {}, acme.headers('technician')), 409, 'invalid-transition');
      expect(tooEarly.currentStatus).toBe('scheduled');
      const started = expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/clock-in`, {}, acme.headers('technician')), 200);
      expect(started).toMatchObject({ status: 'in_progress', clockedOutAt: null });
      expect(Math.abs(new Date(started.clockedInAt).getTime() - Date.now())).toBeLessThan(60_000);
      expect(expectProblem(await c.post(`/v1/field-service/visits/${visit.id}/clock-in`, {}, acme.headers('technician')), 409).currentStatus).toBe('in_progress');
      expect(expectStatus(await c.get(`/v1/field-service/jobs/${j.id}`, acme.headers('viewer')), 200).status).toBe('in_progress');
      expectProblem(await c.post(`/v1/field-service/visits/${visit.id}/reschedule`, { scheduledStart: at(1) }, acme.headers('agent')), 409);

      const services = expectStatus(await c.get('/v1/field-service/services?limit=100', acme.headers('viewer')), 200).data;
      const fixed = services.find((s: any) => s.name === 'Boiler check');
      const flexible = services.find((s: any) => s.name === 'Repair');
      const windows = expectStatus(await c.post('/v1/field-service/services', { name: 'Panes', pricingType: 'per_unit', unitPrice: 333, unitLabel: 'window', currency: 'EUR', taxRateBp: 1900 }, acme.headers('admin')), 201);
      const usd = expectStatus(await c.post('/v1/field-service/services', { name: 'US call-out', pricingType: 'fixed', unitPrice: 5000, currency: 'USD' }, acme.headers('admin')), 201);

      const lines = `/v1/field-service/jobs/${j.id}/line-items`;
      const boiler = expectStatus(await c.post(lines, { serviceId: fixed.id }, acme.headers('technician')), 201);
      expect(boiler).toMatchObject({ description: 'Boiler check', quantity: 1, unitPrice: 9900, taxRateBp: 1900, subtotal: 9900, tax: 1881, total: 11781, currency: 'EUR' });
      const panes = expectStatus(await c.post(lines, { serviceId: windows.id, quantity: 7 }, acme.headers('technician')), 201);
      expect(panes).toMatchObject({ quantity: 7, unitPrice: 333, unitLabel: 'window', subtotal: 2331, tax: 443, total: 2774 });
      const repair = expectStatus(await c.post(lines, { serviceId: flexible.id, unitPrice: 12000, quantity: 1.5 }, acme.headers('technician')), 201);
      expect(repair).toMatchObject({ subtotal: 18000, tax: 0, total: 18000 });
      const free = expectStatus(await c.post(lines, { description: 'Gasket', unitPrice: 450, quantity: 2 }, acme.headers('technician')), 201);
      expect(free).toMatchObject({ serviceId: null, currency: 'EUR', total: 900 });

      expectProblem(await c.post(lines, { serviceId: flexible.id }, acme.headers('technician')), 422);
      expectProblem(await c.post(lines, { serviceId: fixed.id, unitPrice: 1 }, acme.headers('technician')), 422);
      expectProblem(await c.post(lines, { serviceId: fixed.id, quantity: -1 }, acme.headers('technician')), 400);
      expectProblem(await c.post(lines, { serviceId: fixed.id, quantity: 0 }, acme.headers('technician')), 400);
      expectProblem(await c.post(lines, { description: 'Refund', unitPrice: -500 }, acme.headers('technician')), 400);
      expectProblem(await c.post(lines, { description: 'Too precise', unitPrice: 1, quantity: 0.0001 }, acme.headers('technician')), 400);
      expectProblem(await c.post(lines, { unitPrice: 100 }, acme.headers('technician')), 422);
      expect(expectProblem(await c.post(lines, { serviceId: usd.id }, acme.headers('technician')), 422, 'currency-mismatch').detail).toMatch(/EUR/);
      expectProblem(await c.post(lines, { description: 'Dollars', unitPrice: 100, currency: 'USD' }, acme.headers('technician')), 422);
      expectProblem(await c.post(lines, { serviceId: RANDOM_UUID }, acme.headers('technician')), 422);

      expect((await c.delete(`${lines}/${free.id}`, acme.headers('technician'))).status).toBe(204);
      expectProblem(await c.delete(`${lines}/${free.id}`, acme.headers('technician')), 404);
      // Taking a service out of the catalog (or repricing it) leaves lines already added as they were.
      expect((await c.delete(`/v1/field-service/services/${windows.id}`, acme.headers('admin'))).status).toBe(204);
      expectProblem(await c.post(lines, { serviceId: windows.id }, acme.headers('technician')), 422);
      expectStatus(await c.patch(`/v1/field-service/services/${fixed.id}`, { unitPrice: 1 }, acme.headers('admin')), 200);

      const note = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/notes`, { body: 'Boiler was older than expected.' }, acme.headers('technician')), 201);
      expect(note).toMatchObject({ jobId: j.id, authorId: tech, body: 'Boiler was older than expected.' });
      expectProblem(await c.post(`/v1/field-service/jobs/${j.id}/notes`, { body: '' }, acme.headers('technician')), 400);

      // A technician clocks only their own visits.
      expectProblem(await c.post(`/v1/field-service/visits/${later.id}/clock-in`, {}, acme.headers('technician')), 403, 'not-assigned');
      const busy = expectProblem(await c.post(`/v1/field-service/jobs/${j.id}/complete`, {}, acme.headers('technician')), 409, 'visit-in-progress');
      expect(busy.visitId).toBe(visit.id);
      const done = expectStatus(await c.post(`/v1/field-service/visits/${visit.id}/clock-out`, {}, acme.headers('technician')), 200);
      expect(done).toMatchObject({ status: 'completed', actualMinutes: expect.any(Number) });
      expect(done.actualMinutes).toBeGreaterThanOrEqual(0);
      expectProblem(await c.post(`/v1/field-service/visits/${visit.id}/clock-out`, {}, acme.headers('technician')), 409);

      const completed = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/complete`, {}, acme.headers('technician')), 200);
      expect(completed).toMatchObject({ status: 'completed', currency: 'EUR', totals: { currency: 'EUR', subtotal: 9900 + 2331 + 18000, tax: 1881 + 443, total: 11781 + 2774 + 18000 } });
      expect(completed.completedAt).toEqual(expect.any(String));
      expect(completed.lineItems.map((l: any) => [l.id, l.unitPrice])).toEqual([
        [boiler.id, 9900],
        [panes.id, 333],
        [repair.id, 12000],
      ]);
      expect(completed.visits.find((v: any) => v.id === later.id).status).toBe('cancelled');
      const emitted = await events(acme.tenant.id, j.id);
      expect(emitted.find((e) => e.type === 'field_service.job_completed')!.payload).toEqual({
        completedAt: completed.completedAt,
        currency: 'EUR',
        subtotal: completed.totals.subtotal,
        tax: completed.totals.tax,
        total: completed.totals.total,
        visitIds: [visit.id],
      });

      const attempts: [string, string, unknown][] = [
        ['post', lines, { description: 'More', unitPrice: 1 }],
        ['delete', `${lines}/${boiler.id}`, undefined],
        ['post', `/v1/field-service/jobs/${j.id}/notes`, { body: 'late' }],
        ['post', `/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(6), durationMinutes: 30 }],
        ['post', `/v1/field-service/visits/${later.id}/reschedule`, { scheduledStart: at(6) }],
        ['post', `/v1/field-service/visits/${later.id}/assign`, { technicianId: tech }],
        ['post', `/v1/field-service/visits/${later.id}/clock-in`, {}],
        ['post', `/v1/field-service/visits/${later.id}/cancel`, {}],
        ['post', `/v1/field-service/jobs/${j.id}/complete`, {}],
        ['post', `/v1/field-service/jobs/${j.id}/cancel`, {}],
      ];
      for (const [method, path, body] of attempts) {
        const res = method === 'delete' ? await c.delete(path, acme.headers('agent')) : await c.post(path, body, acme.headers('agent'));
        expect(expectProblem(res, 409).currentStatus).toBe('completed');
      }
      expect(expectStatus(await c.get(`/v1/field-service/jobs/${j.id}`, acme.headers('viewer')), 200)).toEqual(completed);
    });

    it('cancels a job with its visits not started', async () => {
      const j = await job(acme, ada, 'Cancelled');
      const v = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(40), durationMinutes: 30, technicianId: acme.users.technician.userId }, acme.headers('agent')), 201);
      const cancelled = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/cancel`, {}, acme.headers('agent')), 200);
      expect(cancelled).toMatchObject({ status: 'cancelled', visits: [{ id: v.id, status: 'cancelled' }] });
      expectProblem(await c.post(`/v1/field-service/jobs/${j.id}/complete`, {}, acme.headers('agent')), 409);
    });
  });

  describe('tenant isolation', () => {
    it('answers 404 to another tenant on every field-service route', async () => {
      const svc = expectStatus(await c.post('/v1/field-service/services', { name: 'Private', pricingType: 'fixed', unitPrice: 100, currency: 'EUR' }, acme.headers('admin')), 201);
      const j = await job(acme, ada, 'Isolated');
      const v = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(50), durationMinutes: 30 }, acme.headers('agent')), 201);
      const line = expectStatus(await c.post(`/v1/field-service/jobs/${j.id}/line-items`, { serviceId: svc.id }, acme.headers('agent')), 201);
      const g = globex.headers('owner');
      const cases: [string, string, unknown?][] = [
        ['GET', `/v1/field-service/services/${svc.id}`],
        ['PATCH', `/v1/field-service/services/${svc.id}`, { name: 'Mine' }],
        ['DELETE', `/v1/field-service/services/${svc.id}`],
        ['GET', `/v1/field-service/jobs/${j.id}`],
        ['GET', `/v1/field-service/jobs/${j.id}/history`],
        ['POST', `/v1/field-service/jobs/${j.id}/visits`, { scheduledStart: at(51), durationMinutes: 30 }],
        ['POST', `/v1/field-service/visits/${v.id}/reschedule`, { scheduledStart: at(52) }],
        ['POST', `/v1/field-service/visits/${v.id}/assign`, { technicianId: null }],
        ['POST', `/v1/field-service/visits/${v.id}/cancel`, {}],
        ['POST', `/v1/field-service/visits/${v.id}/clock-in`, {}],
        ['POST', `/v1/field-service/visits/${v.id}/clock-out`, {}],
        ['POST', `/v1/field-service/jobs/${j.id}/line-items`, { description: 'x', unitPrice: 1, currency: 'EUR' }],
        ['DELETE', `/v1/field-service/jobs/${j.id}/line-items/${line.id}`],
        ['POST', `/v1/field-service/jobs/${j.id}/notes`, { body: 'x' }],
        ['POST', `/v1/field-service/jobs/${j.id}/complete`, {}],
        ['POST', `/v1/field-service/jobs/${j.id}/cancel`, {}],
      ];
      for (const [method, path, body] of cases) {
        const res = method === 'GET' ? await c.get(path, g) : method === 'DELETE' ? await c.delete(path, g) : method === 'PATCH' ? await c.patch(path, body, g) : await c.post(path, body, g);
        expectProblem(res, 404);
      }
      // A line from another tenant's catalog is a reference that does not exist.
      const theirs = await job(globex, gina, 'Theirs');
      expectProblem(await c.post(`/v1/field-service/jobs/${theirs.id}/line-items`, { serviceId: svc.id }, g), 422);
      expect(expectStatus(await c.get('/v1/field-service/services', g), 200).data).toEqual([]);
      expect(expectStatus(await c.get('/v1/field-service/jobs', g), 200).data.map((x: any) => x.id)).toEqual([theirs.id]);
      const board = expectStatus(await c.get(`/v1/field-service/dispatch?from=${encodeURIComponent(at(49))}&to=${encodeURIComponent(at(51))}`, g), 200);
      expect(board.days).toEqual([]);
      expect(expectStatus(await c.get(`/v1/field-service/jobs/${j.id}`, acme.headers('viewer')), 200)).toMatchObject({ status: 'scheduled', visits: [{ id: v.id, status: 'scheduled' }], lineItems: [{ id: line.id }], notes: [] });
    });
  });
});
