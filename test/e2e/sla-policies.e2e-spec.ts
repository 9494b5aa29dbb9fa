import { asTenantRole, RANDOM_UUID } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';
const ALWAYS_OPEN = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '00:00', end: '24:00' }]]));

/** SLA policies through HTTP, and a ticket's SLA explained from its own history. */
describe('SLA policies', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'admin', extra: Record<string, string> = {}) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  const created = (res: { status: number; body: any }) => {
    if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const patchTicket = async (id: string, body: Record<string, unknown>) => {
    const current = await call(acme, 'GET', `/tickets/${id}`, undefined, 'agent');
    const res = await call(acme, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': `W/"${current.body.version}"` });
    expect(res.status).toBe(200);
  };
  const sla = async (id: string) => (await call(acme, 'GET', `/tickets/${id}/sla`, undefined, 'agent')).body;
  const target = (s: any, metric: string) => s.targets.find((t: { metric: string }) => t.metric === metric);

  it('applies the first policy whose conditions hold, and explains each clock: deadline, fulfilment, pause', async () => {
    const urgent = created(await call(acme, 'POST', '/sla-policies', { name: 'Urgent', conditions: { priorities: ['urgent'] }, targets: { urgent: { first_reply: 30, resolution: 240 } }, businessHours: false }));
    expect(urgent).toMatchObject({ position: 0, active: true, businessHours: false, calendarId: null, pauseStatuses: ['pending', 'on_hold'], version: 1 });
    created(await call(acme, 'POST', '/sla-policies', { name: 'Everything else', position: 5, targets: { normal: { first_reply: 480 }, urgent: { first_reply: 999 } }, businessHours: false }));

    const ticket = created(await call(acme, 'POST', '/tickets', { subject: 'Server down', priority: 'urgent', requester: { email: 'pat@customer.example' } }, 'agent'));
    const first = await sla(ticket.id);
    expect(first).toMatchObject({ policy: { id: urgent.id, name: 'Urgent' }, priority: 'urgent', timeMode: 'calendar', note: null });
    const reply = target(first, 'first_reply');
    expect(reply).toMatchObject({ state: 'active', targetMinutes: 30, fulfilledAt: null });
    expect(Date.parse(reply.deadline) - Date.parse(ticket.createdAt)).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(reply.deadline) - Date.parse(ticket.createdAt)).toBeLessThanOrEqual(30 * 60_000 + 2_000);
    expect(first.nextBreachAt).toBe(reply.deadline);

    expect((await call(acme, 'POST', `/tickets/${ticket.id}/messages`, { body: 'We are on it.', visibility: 'public' }, 'agent')).status).toBe(201);
    await patchTicket(ticket.id, { status: 'pending' });
    const paused = await sla(ticket.id);
    expect(target(paused, 'first_reply')).toMatchObject({ state: 'fulfilled' });
    expect(target(paused, 'resolution')).toMatchObject({ state: 'paused', deadline: null });
    expect(target(paused, 'resolution').paused).toHaveLength(1);
    expect(paused.events.map((e: { metric: string; type: string }) => `${e.metric}:${e.type}`)).toEqual(expect.arrayContaining(['first_reply:activated', 'first_reply:fulfilled', 'resolution:paused']));
    await patchTicket(ticket.id, { status: 'open' });
    expect(target(await sla(ticket.id), 'resolution')).toMatchObject({ state: 'active' });

    // A priority change is a new input: the other policy applies at once.
    const normal = created(await call(acme, 'POST', '/tickets', { subject: 'Question', requester: { email: 'pat@customer.example' } }, 'agent'));
    expect((await sla(normal.id)).policy.name).toBe('Everything else');
    await patchTicket(normal.id, { priority: 'urgent' });
    expect(await sla(normal.id)).toMatchObject({ policy: { name: 'Urgent' }, priority: 'urgent' });
    await patchTicket(normal.id, { priority: 'low' });
    expect(await sla(normal.id)).toMatchObject({ policy: { name: 'Everything else' }, targets: [], note: expect.stringMatching(/no targets for low/) });
  });

  it('counts business time on the policy’s calendar, else the group’s, and says so when there is none', async () => {
    const calendar = created(await call(acme, 'POST', '/business-calendars', { name: 'Always open', timeZone: 'UTC', week: ALWAYS_OPEN }));
    const group = created(await call(acme, 'POST', '/groups', { name: 'Night shift', businessCalendarId: calendar.id }));
    await call(acme, 'PUT', `/groups/${group.id}/members/${acme.users.agent.userId}`);
    created(await call(acme, 'POST', '/sla-policies', { name: 'Night shift tickets', conditions: { groupIds: [group.id] }, targets: { high: { resolution: 60 } } }));
    const inGroup = created(await call(acme, 'POST', '/tickets', { subject: 'Lights out', priority: 'high', groupId: group.id, requester: { email: 'pat@customer.example' } }, 'agent'));
    expect(await sla(inGroup.id)).toMatchObject({ policy: { name: 'Night shift tickets' }, timeMode: 'business', calendar: { id: calendar.id, name: 'Always open', timeZone: 'UTC' } });
    expect((await call(acme, 'PATCH', `/groups/${group.id}`, { businessCalendarId: null })).status).toBe(200);
    expect(await sla(inGroup.id)).toMatchObject({ timeMode: 'calendar', calendar: null, note: expect.stringMatching(/names a business calendar/) });
  });

  it('refuses policies that make no sense, naming the field', async () => {
    const foreignCalendar = created(await call(globex, 'POST', '/business-calendars', { name: 'Globex hours', timeZone: 'UTC', week: ALWAYS_OPEN }));
    const foreignGroup = created(await call(globex, 'POST', '/groups', { name: 'Globex team' }));
    for (const [body, status, field] of [
      [{ name: 'A', targets: {} }, 422, 'targets'],
      [{ name: 'A', targets: { critical: { first_reply: 5 } } }, 422, 'targets.critical'],
      [{ name: 'A', targets: { urgent: { first_response: 5 } } }, 422, 'targets.urgent.first_response'],
      [{ name: 'A', targets: { urgent: { first_reply: 0 } } }, 422, 'targets.urgent.first_reply'],
      [{ name: 'A', targets: { urgent: { first_reply: 2.5 } } }, 422, 'targets.urgent.first_reply'],
      [{ name: 'A', targets: { urgent: [30] } }, 422, 'targets.urgent'],
      [{ name: 'A', targets: { urgent: { first_reply: 5 } }, pauseStatuses: ['solved'] }, 422, 'pauseStatuses'],
      [{ name: 'A', targets: { urgent: { first_reply: 5 } }, businessHours: false, calendarId: foreignCalendar.id }, 422, 'calendarId'],
      [{ name: 'A', targets: { urgent: { first_reply: 5 } }, calendarId: foreignCalendar.id }, 422, 'calendarId'],
      [{ name: 'A', targets: { urgent: { first_reply: 5 } }, conditions: { groupIds: [foreignGroup.id] } }, 422, 'conditions.groupIds[0]'],
      [{ name: 'A', targets: 'fast' }, 400, 'targets'],
      [{ name: 'A', targets: { urgent: { first_reply: 5 } }, conditions: { priorities: ['asap'] } }, 400, 'conditions.priorities'],
      [{ targets: { urgent: { first_reply: 5 } } }, 400, 'name'],
    ] as const) {
      const res = await call(acme, 'POST', '/sla-policies', body);
      expect([JSON.stringify(body), res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([JSON.stringify(body), status, expect.arrayContaining([field])]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await call(acme, 'POST', '/sla-policies', { name: 'Mine', targets: { urgent: { first_reply: 5 } } }, 'agent')).status).toBe(403);
    const policy = created(await call(acme, 'POST', '/sla-policies', { name: 'Dupe', targets: { low: { resolution: 5000 } } }));
    expect((await call(acme, 'POST', '/sla-policies', { name: 'DUPE', targets: { low: { resolution: 5000 } } })).status).toBe(409);
    const changed = await call(acme, 'PATCH', `/sla-policies/${policy.id}`, { active: false }, 'admin', { 'if-match': 'W/"1"' });
    expect(changed.body).toMatchObject({ active: false, version: 2 });
    expect((await call(acme, 'PATCH', `/sla-policies/${policy.id}`, { active: true }, 'admin', { 'if-match': 'W/"1"' })).status).toBe(412);
    expect((await call(acme, 'DELETE', `/sla-policies/${policy.id}`)).status).toBe(204);
    expect((await call(acme, 'GET', `/sla-policies/${policy.id}`, undefined, 'agent')).status).toBe(404);
    const audit = await call(acme, 'GET', `/audit-logs?entityId=${policy.id}`, undefined, 'owner');
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['sla_policy.created', 'sla_policy.updated', 'sla_policy.deleted']));
  });

  it('selects policies by the requester’s organization and by custom fields, refusing unknown fields and other tenants’ organizations', async () => {
    created(await call(acme, 'POST', '/ticket-fields', { key: 'sla_plan', label: 'Plan', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }] }));
    created(await call(acme, 'POST', '/ticket-fields', { key: 'seats', label: 'Seats', type: 'integer' }));
    const org = created(await call(acme, 'POST', '/organizations', { name: 'Engines Ltd' }, 'agent'));
    const theirs = created(await call(globex, 'POST', '/organizations', { name: 'Globex Org' }, 'agent'));
    created(await call(acme, 'POST', '/contacts', { name: 'Ada', emails: ['ada@engines.example'], organizationId: org.id }, 'agent'));

    const refused = async (conditions: unknown) => {
      const res = await call(acme, 'POST', '/sla-policies', { name: 'Refused', conditions, targets: { high: { first_reply: 10 } } });
      expect(res.status).toBe(422);
      return res.body.errors[0].field;
    };
    expect(await refused({ fields: [{ key: 'no_such_field', op: 'eq', value: 'x' }] })).toBe('conditions.fields[0]');
    expect((await call(acme, 'POST', '/sla-policies', { name: 'R', conditions: { fields: [{ key: 'no_such_field', op: 'any' }] }, targets: { high: { first_reply: 10 } } })).body.detail).toMatch(/no_such_field/);
    expect(await refused({ fields: [{ key: 'sla_plan', op: 'gte', value: 'gold' }] })).toBe('conditions.fields[0]');
    expect(await refused({ fields: [{ key: 'seats', op: 'eq', value: 'many' }] })).toBe('conditions.fields[0]');
    expect(await refused({ fields: [{ key: 'sla_plan', op: 'in', value: 'gold' }] })).toBe('conditions.fields[0]');
    expect(await refused({ organizationIds: [theirs.id] })).toBe('conditions.organizationIds[0]');
    expect((await call(acme, 'POST', '/sla-policies', { name: 'R', conditions: { fields: [{ key: 'sla_plan', op: 'like' }] }, targets: { high: { first_reply: 10 } } })).status).toBe(400);

    const gold = created(
      await call(acme, 'POST', '/sla-policies', { name: 'Gold or big', position: 1, conditions: { fields: [{ key: 'sla_plan', op: 'in', value: ['gold'] }, { key: 'seats', op: 'gte', value: 50 }] }, targets: { high: { first_reply: 15 } }, businessHours: false }),
    );
    expect(gold.conditions.fields).toEqual([{ key: 'sla_plan', op: 'in', value: ['gold'] }, { key: 'seats', op: 'gte', value: 50 }]);
    created(await call(acme, 'POST', '/sla-policies', { name: 'Engines', position: 2, conditions: { organizationIds: [org.id.toUpperCase()] }, targets: { high: { first_reply: 45 } }, businessHours: false }));

    const member = created(await call(acme, 'POST', '/tickets', { subject: 'Gears stuck', priority: 'high', requester: { email: 'ada@engines.example' } }, 'agent'));
    expect(await sla(member.id)).toMatchObject({ policy: { name: 'Engines' }, targets: [expect.objectContaining({ metric: 'first_reply', targetMinutes: 45 })] });
    await patchTicket(member.id, { fields: { sla_plan: 'gold', seats: 49 } });
    expect((await sla(member.id)).policy.name).toBe('Engines');
    await patchTicket(member.id, { fields: { seats: 50 } });
    expect(await sla(member.id)).toMatchObject({ policy: { name: 'Gold or big' }, targets: [expect.objectContaining({ targetMinutes: 15 })] });
    const outsider = created(await call(acme, 'POST', '/tickets', { subject: 'Hello', priority: 'high', requester: { email: 'someone@else.example' } }, 'agent'));
    expect((await sla(outsider.id)).policy.name).toBe('Everything else');
  });

  it('answers another tenant’s policy and ticket ids with 404, and row-level security backs it up', async () => {
    const policy = created(await call(acme, 'POST', '/sla-policies', { name: 'Acme only', targets: { high: { first_reply: 60 } } }));
    const ticket = created(await call(acme, 'POST', '/tickets', { subject: 'Acme ticket', requester: { email: 'pat@customer.example' } }, 'agent'));
    for (const [method, path, body] of [
      ['GET', `/sla-policies/${policy.id}`, undefined],
      ['PATCH', `/sla-policies/${policy.id}`, { name: 'Taken' }],
      ['DELETE', `/sla-policies/${policy.id}`, undefined],
      ['GET', `/tickets/${ticket.id}/sla`, undefined],
      ['GET', `/tickets/${RANDOM_UUID}/sla`, undefined],
    ] as const) {
      expect([method, path, (await call(globex, method, path, body, 'owner')).status]).toEqual([method, path, 404]);
    }
    expect((await call(globex, 'GET', '/sla-policies', undefined, 'owner')).body.data.map((p: { name: string }) => p.name)).not.toContain('Acme only');
    const seen = await asTenantRole(globex.tenant.id, async (db) => (await db.query(`SELECT count(*)::int AS n FROM sla_policies WHERE tenant_id = $1`, [acme.tenant.id])).rows[0].n);
    expect(seen).toBe(0);
  });
});
