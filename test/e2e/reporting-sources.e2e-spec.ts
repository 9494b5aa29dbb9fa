import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

const HOUR = 3_600_000;
/** Zones tried in turn: the first where it is day now, so no test day ends while the file runs. */
const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Tokyo', 'Pacific/Honolulu', 'America/Los_Angeles', 'Asia/Kolkata'];

/**
 * The report sources other contexts publish (ADR 0064), end to end through HTTP: SLA targets met
 * and missed (attainment per target), CSAT surveys sent and rated (response rate), visits scheduled,
 * rescheduled, reassigned and cancelled against the technician's clocked time (utilisation, split
 * at local midnight). Redelivered and late events change nothing; another tenant sees none of it.
 */
describe('Reporting: SLA attainment, CSAT response rate, technician utilisation', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let db: Client;
  let zone: string;
  const localDay = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
  const localHour = (t: number) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date(t)));
  const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  let today: string;

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker({ OUTBOX_POLL_MS: '50' })]);
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
    zone = ZONES.find((z) => {
      zone = z;
      const h = localHour(Date.now());
      return h >= 5 && h <= 17;
    })!;
    const res = await fetch(`${api.url}/v1/admin/tenants/${acme.tenant.id}`, { method: 'PATCH', headers: adminHeaders({ 'content-type': 'application/json' }), body: JSON.stringify({ timezone: zone }) });
    expect(res.status).toBe(200);
    today = localDay(Date.now());
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
  });

  type Role = 'owner' | 'admin' | 'agent' | 'technician' | 'viewer';
  type Res = { status: number; body: any; text: string };
  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'agent', extra: Record<string, string> = {}): Promise<Res> {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
  }
  const ok = (res: Res, status = 200): any => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
    return res.body;
  };
  const report = async (tenant: TenantSession, name: string, from = today, to = today, query = '') => ok(await call(tenant, 'GET', `/reports/${name}?from=${from}&to=${to}${query}`, undefined, 'admin'));
  const value = (result: any, key: string, period = today) => {
    const series = result.series.find((s: any) => s.key === key);
    if (!series) throw new Error(`no series ${key} in ${JSON.stringify(result.series.map((s: any) => s.key))}`);
    return series.points.find((p: any) => p.period === period)?.value;
  };
  const settles = (tenant: TenantSession, name: string, expected: Record<string, number | null>, from = today, to = today, query = '') =>
    waitFor(
      async () => {
        const r = await report(tenant, name, from, to, query);
        return Object.entries(expected).every(([k, v]) => value(r, k.split('@')[0]!, k.split('@')[1] ?? from) === v) ? r : undefined;
      },
      `${name} ${JSON.stringify(expected)}`,
      90_000,
    );
  const newTicket = async (extra: Record<string, unknown> = {}, email = `kim.${randomUUID().slice(0, 8)}@customer.example`) =>
    ok(await call(acme, 'POST', '/tickets', { subject: `Heating ${randomUUID().slice(0, 8)}`, requester: { email, name: 'Kim' }, ...extra }), 201);
  const patch = async (id: string, body: Record<string, unknown>) => {
    const { version } = ok(await call(acme, 'GET', `/tickets/${id}`));
    return ok(await call(acme, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': `W/"${version}"` }));
  };
  const reply = (id: string) => call(acme, 'POST', `/tickets/${id}/messages`, { body: 'On it.' }).then((r) => ok(r, 201));
  const outbox = async (type: string, aggregateId?: string) =>
    (await db.query(`SELECT id, aggregate_type, aggregate_id, payload FROM outbox WHERE tenant_id = $1 AND type = $2 AND ($3::text IS NULL OR aggregate_id = $3) ORDER BY position`, [acme.tenant.id, type, aggregateId ?? null])).rows;
  /** An event committed again (a redelivery, or a late one): as its context writes it to the outbox. */
  const plant = async (type: string, aggregateType: string, aggregateId: string, payload: unknown) => {
    const id = randomUUID();
    await db.query(`INSERT INTO outbox (tenant_id, id, type, aggregate_type, aggregate_id, payload) VALUES ($1, $2, $3, $4, $5, $6)`, [acme.tenant.id, id, type, aggregateType, aggregateId, JSON.stringify(payload)]);
    return id;
  };
  const received = (eventId: string, consumer = '%reporting.record-facts') =>
    waitFor(async () => (await db.query(`SELECT 1 FROM event_receipts WHERE event_id = $1 AND consumer LIKE $2`, [eventId, consumer])).rowCount! > 0, `${consumer} received ${eventId}`, 60_000);
  const facts = async (source: string) =>
    (await db.query(`SELECT fact_id, at, ends_at, agent_id, key, n, version FROM reporting_facts WHERE tenant_id = $1 AND source = $2 ORDER BY fact_id`, [acme.tenant.id, source])).rows;

  let onTime: any;

  it('counts SLA targets met and missed per target: attainment = met / (met + breached), a target met after its breach is missed', async () => {
    ok(
      await call(acme, 'POST', '/sla-policies', { name: 'Reported', position: 0, conditions: { tagsAny: ['sla-report'] }, targets: { normal: { first_reply: 60, resolution: 240 }, high: { first_reply: 1 } }, businessHours: false }, 'admin'),
      201,
    );
    // On time: replied to and solved at once (first reply and resolution met).
    onTime = await newTicket({ tags: ['sla-report'] });
    await reply(onTime.id);
    await patch(onTime.id, { status: 'solved' });
    // Late: a one-minute first reply target, created five minutes ago (its history moves back), then replied to.
    const late = await newTicket({ tags: ['sla-report'], priority: 'high' });
    await waitFor(async () => ok(await call(acme, 'GET', `/tickets/${late.id}`)).slaBreachAt !== null, 'a deadline');
    await db.query(`UPDATE ticket_events SET created_at = created_at - interval '5 minutes' WHERE ticket_id = $1`, [late.id]);
    await reply(late.id);

    const sla = await settles(acme, 'sla', { met: 2, breached: 1 });
    expect(value(sla, 'attainment')).toBe(66.67);
    expect(value(sla, 'attainment_first_reply')).toBe(50);
    expect(value(sla, 'attainment_resolution')).toBe(100);
    expect(value(sla, 'breached_first_reply')).toBe(1);

    // Published once each, where the engine recorded the fulfilment.
    const fulfilled = await outbox('tickets.ticket_sla_target_fulfilled');
    expect(fulfilled.map((e) => `${e.aggregate_id === late.id ? 'late' : 'onTime'}:${e.payload.metric}:${e.payload.breached}`).sort()).toEqual(['late:first_reply:true', 'onTime:first_reply:false', 'onTime:resolution:false']);
    expect(fulfilled.find((e) => e.aggregate_id === late.id).payload).toMatchObject({ policyId: expect.any(String), policyVersion: 1, elapsedMinutes: expect.any(Number) });
    expect(fulfilled.find((e) => e.aggregate_id === late.id).payload.elapsedMinutes).toBeGreaterThanOrEqual(5);

    // A redelivered fulfilment changes nothing.
    const again = fulfilled.find((e) => e.aggregate_id === onTime.id && e.payload.metric === 'first_reply');
    const before = await facts('sla_fulfilled');
    await received(await plant('tickets.ticket_sla_target_fulfilled', 'ticket', onTime.id, again.payload));
    expect(await facts('sla_fulfilled')).toEqual(before);
    expect(value(await report(acme, 'sla'), 'met')).toBe(2);
    // Another tenant sees none of it.
    const other = await report(globex, 'sla');
    expect([value(other, 'met'), value(other, 'breached'), value(other, 'attainment')]).toEqual([0, 0, null]);
  });

  it('reads the CSAT response rate as ratings over surveys sent, a survey once per ticket', async () => {
    const mails = (email: string) => {
      let text = '';
      try {
        text = readFileSync(join(process.env.E2E_DATA_DIR!, 'mail', 'outbox.jsonl'), 'utf8');
      } catch {
        return [];
      }
      return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { to: string; text: string }).filter((m) => m.to === email);
    };
    const email = `rated.${randomUUID().slice(0, 8)}@customer.example`;
    const tickets = [await newTicket({}, email), await newTicket(), await newTicket()];
    for (const t of tickets) await patch(t.id, { status: 'solved' });
    const mail = await waitFor(async () => mails(email)[0], 'the survey mail');
    const token = /\/v1\/public\/csat\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const rated = await fetch(`${api.url}/v1/public/csat/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rating: 'good' }) });
    expect(rated.status).toBe(200);

    // Four surveys sent (these three and the SLA test's solved ticket), one rated.
    const csat = await settles(acme, 'csat', { offered: 4, rated: 1 });
    expect(value(csat, 'response_rate')).toBe(25);
    expect(value(csat, 'score')).toBe(100);
    // Solved again after a reopen: no second survey.
    await patch(tickets[1].id, { status: 'open' });
    await patch(tickets[1].id, { status: 'solved' });
    const solves = (await outbox('tickets.ticket_status_changed', tickets[1].id)).filter((e) => e.payload.to === 'solved');
    expect(solves).toHaveLength(2);
    await received(solves[1].id, '%csat%');
    expect(await outbox('tickets.csat_survey_offered', tickets[1].id)).toHaveLength(1);
    expect(value(await report(acme, 'csat'), 'offered')).toBe(4);
    const other = await report(globex, 'csat');
    expect([value(other, 'offered'), value(other, 'response_rate')]).toEqual([0, null]);
  });

  it('compares a technician’s clocked minutes with the scheduled ones per local day: the latest version of a visit counts, a visit across midnight splits', async () => {
    const tech = acme.users.technician.userId;
    const contact = ok(await call(acme, 'POST', '/contacts', { name: 'Ada' }), 201);
    const address = ok(await call(acme, 'POST', `/contacts/${contact.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }), 201);
    const job = ok(await call(acme, 'POST', '/field-service/jobs', { contactId: contact.id, addressId: address.id, title: 'Boiler service' }), 201);
    const tomorrow = addDays(today, 1);
    /** The instant of `hour`:00 on a local day of the tenant's zone. */
    const at = (day: string, hour: number) => {
      for (let off = -14; off <= 14; off++) {
        const t = Date.parse(`${day}T00:00:00Z`) + (hour - off) * HOUR;
        if (localDay(t) === day && localHour(t) === hour) return new Date(t).toISOString();
      }
      throw new Error(`no ${hour}:00 on ${day} in ${zone}`);
    };
    const schedule = (start: string, minutes: number, technicianId: string | null = tech) =>
      call(acme, 'POST', `/field-service/jobs/${job.id}/visits`, { scheduledStart: start, durationMinutes: minutes, technicianId }).then((r) => ok(r, 201));
    const overnight = await schedule(at(tomorrow, 23), 120);
    const soon = await schedule(new Date(Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000).toISOString(), 30);
    const moved = await schedule(at(tomorrow, 10), 60);
    const movedTo = ok(await call(acme, 'POST', `/field-service/visits/${moved.id}/reschedule`, { scheduledStart: at(tomorrow, 12), durationMinutes: 90 }));
    const unassigned = await schedule(at(tomorrow, 15), 60, null);
    ok(await call(acme, 'POST', `/field-service/visits/${unassigned.id}/assign`, { technicianId: tech }));
    const cancelled = await schedule(at(tomorrow, 17), 60);
    ok(await call(acme, 'POST', `/field-service/visits/${cancelled.id}/cancel`, {}));
    ok(await call(acme, 'POST', `/field-service/visits/${soon.id}/clock-in`, {}, 'technician'));
    const done = ok(await call(acme, 'POST', `/field-service/visits/${soon.id}/clock-out`, {}, 'technician'));

    // What each local day should hold, in seconds: the visits as they are now, split at the zone's midnights.
    const perDay = new Map<string, number>();
    const split = (from: number, to: number, into: Map<string, number>) => {
      for (let s = from; s < to; ) {
        let next = Math.min(to, Math.floor(s / HOUR) * HOUR + HOUR);
        while (next < to && localDay(next) === localDay(s)) next = Math.min(to, next + HOUR);
        into.set(localDay(s), (into.get(localDay(s)) ?? 0) + Math.round((next - s) / 1000));
        s = next;
      }
    };
    for (const v of [overnight, soon, movedTo, { ...unassigned }]) split(Date.parse(v.scheduledStart), Date.parse(v.scheduledEnd), perDay);
    const clocked = new Map<string, number>();
    split(Date.parse(done.clockedInAt), Date.parse(done.clockedOutAt), clocked);
    const minutes = (seconds: number | undefined) => Math.round(((seconds ?? 0) / 60) * 100) / 100;
    const days = [today, tomorrow, addDays(today, 2)];
    expect(perDay.get(tomorrow)).toBe((60 + 90 + 60) * 60); // 23:00–24:00, the moved visit, the reassigned one
    expect(perDay.get(addDays(today, 2))).toBe(60 * 60); // the overnight visit's second hour

    const expected: Record<string, number | null> = {};
    for (const d of days) {
      expected[`scheduled_minutes@${d}`] = minutes(perDay.get(d));
      expected[`clocked_minutes@${d}`] = minutes(clocked.get(d));
    }
    const fs = await settles(acme, 'field-service', expected, today, days[2]);
    for (const d of days) {
      const s = perDay.get(d) ?? 0;
      expect(value(fs, 'utilisation', d)).toBe(s ? Math.round(((clocked.get(d) ?? 0) / s) * 10_000) / 100 : null);
    }
    // The technician is the agent dimension.
    const byTech = await report(acme, 'field-service', today, days[2], '&groupBy=agent');
    expect(value(byTech, `scheduled_minutes:${tech}`, tomorrow)).toBe(210);
    expect(value(byTech, `utilisation:${tech}`, today)).toBe(value(fs, 'utilisation', today));

    // The events carry the visit's version and the clock interval.
    expect((await outbox('field_service.visit_clocked_out', job.id))[0].payload).toMatchObject({ visitId: soon.id, technicianId: tech, clockedInAt: done.clockedInAt, clockedOutAt: done.clockedOutAt, version: done.version });
    // A late event of an older version (the moved visit as first scheduled) changes nothing.
    const stale = (await outbox('field_service.visit_scheduled', job.id)).find((e) => e.payload.visitId === moved.id);
    expect(stale.payload.version).toBeLessThan(movedTo.version);
    const before = await facts('visit_scheduled');
    await received(await plant('field_service.visit_scheduled', 'field_service_job', job.id, stale.payload));
    expect(await facts('visit_scheduled')).toEqual(before);
    expect(value(await report(acme, 'field-service', tomorrow, tomorrow), 'scheduled_minutes', tomorrow)).toBe(210);

    const other = await report(globex, 'field-service', today, days[2]);
    expect(days.map((d) => [value(other, 'scheduled_minutes', d), value(other, 'clocked_minutes', d), value(other, 'utilisation', d)])).toEqual(days.map(() => [0, 0, null]));
  });
});
