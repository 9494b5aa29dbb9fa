import { adminHeaders, startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, PASSWORD, type TenantSession } from '../support/tenants';
import { asTenantRole, bearer, client, expectProblem, expectStatus, pgErrorCode, RANDOM_UUID } from '../support/http';

/**
 * Tenant B's credentials, pointed at tenant A's data, see exactly what they would for data that
 * does not exist; and the database refuses cross-tenant access even if the application forgot to.
 */
describe('tenancy: isolation between tenants', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let a: TenantSession;
  let b: TenantSession;
  let aKeyIds: string[];

  beforeAll(async () => {
    api = await startApi({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    c = client(api.url);
    [a, b] = await createTwoTenants(api.url);
    aKeyIds = (expectStatus(await c.get('/v1/api-keys', a.headers('owner')), 200).data as { id: string }[]).map((k) => k.id);
    expect(aKeyIds.length).toBe(2);
  });
  afterAll(async () => {
    await api?.stop();
  });

  /** What A looks like through A's own eyes: members with roles, keys with revocation. */
  const snapshotOfA = async () => ({
    members: (expectStatus(await c.get('/v1/members', a.headers('owner')), 200).data as { id: string; role: string; email: string }[])
      .map(({ id, role, email }) => ({ id, role, email }))
      .sort((x, y) => x.id.localeCompare(y.id)),
    keys: (expectStatus(await c.get('/v1/api-keys', a.headers('owner')), 200).data as { id: string; revokedAt: string | null }[])
      .map(({ id, revokedAt }) => ({ id, revokedAt }))
      .sort((x, y) => x.id.localeCompare(y.id)),
  });

  /** A 404 for A's id must be indistinguishable from the 404 for an id nobody has. */
  const sameAsMissing = (foreign: Awaited<ReturnType<typeof c.get>>, missing: Awaited<ReturnType<typeof c.get>>, foreignId: string) => {
    const f = expectProblem(foreign, 404, 'not-found');
    const m = expectProblem(missing, 404, 'not-found');
    expect(f.title).toBe(m.title);
    expect(f.detail.replace(foreignId, '<id>')).toBe(m.detail.replace(RANDOM_UUID, '<id>'));
    expect(Object.keys(f).sort()).toEqual(Object.keys(m).sort());
  };

  it("B's owner gets the same 404 for A's ids as for a random id, on every route with an id, and A is unchanged", async () => {
    const before = await snapshotOfA();
    const idA = a.users.agent.membershipId;
    const ownerA = a.users.owner.membershipId;

    for (const target of [idA, ownerA]) {
      sameAsMissing(await c.patch(`/v1/members/${target}`, { role: 'viewer' }, b.headers('owner')), await c.patch(`/v1/members/${RANDOM_UUID}`, { role: 'viewer' }, b.headers('owner')), target);
      sameAsMissing(await c.patch(`/v1/members/${target}`, { role: 'owner' }, b.headers('owner')), await c.patch(`/v1/members/${RANDOM_UUID}`, { role: 'owner' }, b.headers('owner')), target);
      sameAsMissing(await c.delete(`/v1/members/${target}`, b.headers('owner')), await c.delete(`/v1/members/${RANDOM_UUID}`, b.headers('owner')), target);
    }
    for (const keyId of aKeyIds) {
      sameAsMissing(await c.delete(`/v1/api-keys/${keyId}`, b.headers('owner')), await c.delete(`/v1/api-keys/${RANDOM_UUID}`, b.headers('owner')), keyId);
    }
    expect(await snapshotOfA()).toEqual(before);
    // A's credentials still work.
    expectStatus(await c.get('/v1/members', bearer(a.apiKeys.full)), 200);
    expectStatus(await c.get('/v1/me', a.headers('agent')), 200);
  });

  it("B's admin gets the same 404 as well (not a 403 that would confirm the id exists)", async () => {
    const before = await snapshotOfA();
    const target = a.users.viewer.membershipId;
    sameAsMissing(await c.patch(`/v1/members/${target}`, { role: 'agent' }, b.headers('admin')), await c.patch(`/v1/members/${RANDOM_UUID}`, { role: 'agent' }, b.headers('admin')), target);
    sameAsMissing(await c.delete(`/v1/members/${target}`, b.headers('admin')), await c.delete(`/v1/members/${RANDOM_UUID}`, b.headers('admin')), target);
    // A's owner is guarded by the owner rule in A; from B it must still look like nothing.
    sameAsMissing(
      await c.patch(`/v1/members/${a.users.owner.membershipId}`, { role: 'agent' }, b.headers('admin')),
      await c.patch(`/v1/members/${RANDOM_UUID}`, { role: 'agent' }, b.headers('admin')),
      a.users.owner.membershipId,
    );
    sameAsMissing(await c.delete(`/v1/api-keys/${aKeyIds[0]}`, b.headers('admin')), await c.delete(`/v1/api-keys/${RANDOM_UUID}`, b.headers('admin')), aKeyIds[0]);
    expect(await snapshotOfA()).toEqual(before);
  });

  it("macros and merges: every route answers A's macro and ticket ids to B exactly like random ids, and A's data is unchanged", async () => {
    const macro = expectStatus(await c.post('/v1/macros', { name: 'A only', actions: [{ type: 'set_priority', value: 'urgent' }] }, a.headers('admin')), 201);
    const ticketA = expectStatus(await c.post('/v1/tickets', { subject: 'A ticket', requester: { email: 'pat@a.example' } }, a.headers('agent')), 201);
    const ticketB = expectStatus(await c.post('/v1/tickets', { subject: 'B ticket', requester: { email: 'pat@b.example' } }, b.headers('agent')), 201);
    const star = { 'if-match': '*' };
    sameAsMissing(await c.get(`/v1/macros/${macro.id}`, b.headers('owner')), await c.get(`/v1/macros/${RANDOM_UUID}`, b.headers('owner')), macro.id);
    sameAsMissing(await c.patch(`/v1/macros/${macro.id}`, { name: 'B' }, b.headers('owner')), await c.patch(`/v1/macros/${RANDOM_UUID}`, { name: 'B' }, b.headers('owner')), macro.id);
    sameAsMissing(await c.delete(`/v1/macros/${macro.id}`, b.headers('owner')), await c.delete(`/v1/macros/${RANDOM_UUID}`, b.headers('owner')), macro.id);
    sameAsMissing(
      await c.post(`/v1/macros/${macro.id}/apply`, { ticketIds: [ticketB.id] }, b.headers('owner')),
      await c.post(`/v1/macros/${RANDOM_UUID}/apply`, { ticketIds: [ticketB.id] }, b.headers('owner')),
      macro.id,
    );
    // A's macro on B's ticket, and B's view of A's ticket (with no macro of B's at all).
    sameAsMissing(await c.post(`/v1/tickets/${ticketB.id}/macros/${macro.id}/preview`, {}, b.headers('owner')), await c.post(`/v1/tickets/${ticketB.id}/macros/${RANDOM_UUID}/preview`, {}, b.headers('owner')), macro.id);
    sameAsMissing(await c.post(`/v1/tickets/${ticketA.id}/macros/${RANDOM_UUID}/preview`, {}, b.headers('owner')), await c.post(`/v1/tickets/${RANDOM_UUID}/macros/${RANDOM_UUID}/preview`, {}, b.headers('owner')), ticketA.id);
    sameAsMissing(
      await c.post(`/v1/tickets/${ticketB.id}/macros/${macro.id}/apply`, {}, b.headers('owner', star)),
      await c.post(`/v1/tickets/${ticketB.id}/macros/${RANDOM_UUID}/apply`, {}, b.headers('owner', star)),
      macro.id,
    );
    sameAsMissing(
      await c.post(`/v1/tickets/${ticketA.id}/macros/${RANDOM_UUID}/apply`, {}, b.headers('owner', star)),
      await c.post(`/v1/tickets/${RANDOM_UUID}/macros/${RANDOM_UUID}/apply`, {}, b.headers('owner', star)),
      ticketA.id,
    );
    sameAsMissing(await c.post(`/v1/tickets/${ticketA.id}/merge`, { targetId: ticketB.id }, b.headers('owner')), await c.post(`/v1/tickets/${RANDOM_UUID}/merge`, { targetId: ticketB.id }, b.headers('owner')), ticketA.id);
    sameAsMissing(await c.post(`/v1/tickets/${ticketB.id}/merge`, { targetId: ticketA.id }, b.headers('owner')), await c.post(`/v1/tickets/${ticketB.id}/merge`, { targetId: RANDOM_UUID }, b.headers('owner')), ticketA.id);
    expect((await c.get('/v1/macros', b.headers('owner'))).text).not.toContain(macro.id);
    expect(expectStatus(await c.get(`/v1/macros/${macro.id}`, a.headers('viewer')), 200)).toMatchObject({ name: 'A only', version: 1, usageCount: 0 });
    expect(expectStatus(await c.get(`/v1/tickets/${ticketA.id}`, a.headers('viewer')), 200)).toMatchObject({ status: 'new', priority: 'normal', mergedIntoId: null, mergedFrom: [], version: ticketA.version });
    expect(expectStatus(await c.get(`/v1/tickets/${ticketB.id}`, b.headers('viewer')), 200)).toMatchObject({ status: 'new', mergedIntoId: null, mergedFrom: [] });
  });

  it("views, custom statuses, business calendars and SLA policies: B gets the same 404 for A's ids as for random ids, and A's are unchanged", async () => {
    const week = { mon: [{ start: '09:00', end: '17:00' }] };
    const view = expectStatus(await c.post('/v1/views', { name: 'A shared', scope: 'shared', filter: { status: ['open'] } }, a.headers('admin')), 201);
    const status = expectStatus(await c.post('/v1/ticket-statuses', { category: 'pending', agentLabel: 'A waiting' }, a.headers('admin')), 201);
    const calendar = expectStatus(await c.post('/v1/business-calendars', { name: 'A hours', timeZone: 'Europe/Berlin', week }, a.headers('admin')), 201);
    const policy = expectStatus(await c.post('/v1/sla-policies', { name: 'A policy', targets: { urgent: { first_reply: 30 } } }, a.headers('admin')), 201);
    const owner = b.headers('owner');
    for (const [kind, id, change] of [
      ['views', view.id, { name: 'B' }],
      ['ticket-statuses', status.id, { agentLabel: 'B' }],
      ['business-calendars', calendar.id, { name: 'B' }],
      ['sla-policies', policy.id, { name: 'B' }],
    ] as const) {
      sameAsMissing(await c.get(`/v1/${kind}/${id}`, owner), await c.get(`/v1/${kind}/${RANDOM_UUID}`, owner), id);
      sameAsMissing(await c.patch(`/v1/${kind}/${id}`, change, owner), await c.patch(`/v1/${kind}/${RANDOM_UUID}`, change, owner), id);
      sameAsMissing(await c.delete(`/v1/${kind}/${id}`, owner), await c.delete(`/v1/${kind}/${RANDOM_UUID}`, owner), id);
    }
    sameAsMissing(await c.get(`/v1/views/${view.id}/tickets`, owner), await c.get(`/v1/views/${RANDOM_UUID}/tickets`, owner), view.id);
    const hours = (id: string) => `/v1/business-calendars/${id}/business-time?from=2026-12-07T08:00:00Z&addMinutes=60`;
    sameAsMissing(await c.get(hours(calendar.id), owner), await c.get(hours(RANDOM_UUID), owner), calendar.id);
    const feed = { ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR' };
    sameAsMissing(await c.post(`/v1/business-calendars/${calendar.id}/holidays/import`, feed, owner), await c.post(`/v1/business-calendars/${RANDOM_UUID}/holidays/import`, feed, owner), calendar.id);
    expect(expectStatus(await c.get(`/v1/views/counts?ids=${view.id}`, owner), 200).data).toEqual([]);
    for (const list of ['/v1/views', '/v1/ticket-statuses', '/v1/business-calendars', '/v1/sla-policies']) expect((await c.get(list, owner)).text).not.toMatch(new RegExp(`${view.id}|${status.id}|${calendar.id}|${policy.id}`));
    const ticketA = expectStatus(await c.post('/v1/tickets', { subject: 'A ticket', requester: { email: 'pat@a.example' } }, a.headers('agent')), 201);
    sameAsMissing(await c.get(`/v1/tickets/${ticketA.id}/sla`, owner), await c.get(`/v1/tickets/${RANDOM_UUID}/sla`, owner), ticketA.id);
    expect(expectStatus(await c.get(`/v1/views/${view.id}`, a.headers('viewer')), 200)).toMatchObject({ name: 'A shared', version: 1 });
    expect(expectStatus(await c.get(`/v1/ticket-statuses/${status.id}`, a.headers('viewer')), 200)).toMatchObject({ agentLabel: 'A waiting', version: 1 });
    expect(expectStatus(await c.get(`/v1/business-calendars/${calendar.id}`, a.headers('viewer')), 200)).toMatchObject({ name: 'A hours', version: 1 });
  });

  it("invitations: B cannot see or revoke A's invitation (404 like a random id), and A's stays pending", async () => {
    const email = `invitee.${Date.now()}@elsewhere.test`;
    const inv = expectStatus(await c.post('/v1/invitations', { email, role: 'agent' }, a.headers('owner')), 201);
    sameAsMissing(await c.delete(`/v1/invitations/${inv.id}`, b.headers('owner')), await c.delete(`/v1/invitations/${RANDOM_UUID}`, b.headers('owner')), inv.id);
    const listB = await c.get('/v1/invitations', b.headers('owner'));
    expect(listB.status).toBe(200);
    expect(listB.text).not.toContain(inv.id);
    expect(listB.text).not.toContain(email);
    const listA = expectStatus(await c.get('/v1/invitations', a.headers('owner')), 200).data as { id: string; status: string }[];
    expect(listA.find((i) => i.id === inv.id)?.status).toBe('pending');
    const tenantB = await c.get('/v1/tenant', b.headers('viewer'));
    expect(expectStatus(tenantB, 200).id).toBe(b.tenant.id);
    expect(tenantB.text).not.toContain(a.tenant.id);
  });

  it("custom ticket fields and forms: B gets the same 404 for A's ids as for a random id, lists and filters show none of A's, and RLS hides A's values", async () => {
    const field = expectStatus(await c.post('/v1/ticket-fields', { key: 'a_only_plan', label: 'Plan', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }] }, a.headers('admin')), 201);
    const form = expectStatus(await c.post('/v1/ticket-forms', { name: 'A only form', fields: [{ fieldId: field.id }] }, a.headers('admin')), 201);
    const ticket = expectStatus(await c.post('/v1/tickets', { subject: 'A field', requester: { email: 'a.fields@customer.example' }, formId: form.id, fields: { a_only_plan: 'gold' } }, a.headers('agent')), 201);
    for (const [kind, id] of [['ticket-fields', field.id], ['ticket-forms', form.id]] as const) {
      sameAsMissing(await c.get(`/v1/${kind}/${id}`, b.headers('owner')), await c.get(`/v1/${kind}/${RANDOM_UUID}`, b.headers('owner')), id);
      sameAsMissing(await c.patch(`/v1/${kind}/${id}`, kind === 'ticket-fields' ? { label: 'Mine' } : { name: 'Mine' }, b.headers('admin')), await c.patch(`/v1/${kind}/${RANDOM_UUID}`, kind === 'ticket-fields' ? { label: 'Mine' } : { name: 'Mine' }, b.headers('admin')), id);
      sameAsMissing(await c.delete(`/v1/${kind}/${id}`, b.headers('owner')), await c.delete(`/v1/${kind}/${RANDOM_UUID}`, b.headers('owner')), id);
    }
    // A's form and field names mean nothing in B: the same answers as for ids and keys nobody has.
    const foreignForm = expectProblem(await c.post('/v1/tickets', { subject: 'x', requester: { email: 'b@customer.example' }, formId: form.id }, b.headers('agent')), 422);
    const missingForm = expectProblem(await c.post('/v1/tickets', { subject: 'x', requester: { email: 'b@customer.example' }, formId: RANDOM_UUID }, b.headers('agent')), 422);
    expect(foreignForm.detail.replace(form.id, '<id>')).toBe(missingForm.detail.replace(RANDOM_UUID, '<id>'));
    expect(expectProblem(await c.get('/v1/tickets?field=a_only_plan:eq:gold', b.headers('agent')), 422).detail).toBe('field a_only_plan does not exist');
    for (const res of [await c.get('/v1/ticket-fields?includeDeleted=true', b.headers('owner')), await c.get('/v1/ticket-forms', b.headers('owner')), await c.get('/v1/tickets/export', b.headers('owner'))]) {
      expect(res.status).toBe(200);
      for (const value of [field.id, form.id, ticket.id, 'a_only_plan']) expect(res.text).not.toContain(value);
    }
    const seen = await asTenantRole(b.tenant.id, async (db) => ({
      fields: (await db.query(`SELECT count(*)::int AS n FROM ticket_fields WHERE tenant_id = $1`, [a.tenant.id])).rows[0].n,
      forms: (await db.query(`SELECT count(*)::int AS n FROM ticket_forms WHERE tenant_id = $1`, [a.tenant.id])).rows[0].n,
      values: (await db.query(`SELECT count(*)::int AS n FROM ticket_field_values WHERE tenant_id = $1`, [a.tenant.id])).rows[0].n,
      valuesOfA: (await db.query(`SELECT ticket_custom_fields($1, $2) AS f`, [a.tenant.id, ticket.id])).rows[0].f,
      // The SECURITY DEFINER lookup behind field filters answers for the pinned tenant only.
      matchesOfA: (await db.query(`SELECT count(*)::int AS n FROM ticket_field_matches($1, 'value_text', 'eq', ARRAY['gold'])`, [field.id])).rows[0].n,
      writeIntoA: await pgErrorCode(db, `INSERT INTO ticket_field_values (tenant_id, ticket_id, field_id, value_text) VALUES ($1, $2, $3, 'silver')`, [a.tenant.id, ticket.id, field.id]),
    }));
    expect(seen).toEqual({ fields: 0, forms: 0, values: 0, valuesOfA: {}, matchesOfA: 0, writeIntoA: '42501' });
    // A is unchanged.
    expect(expectStatus(await c.get(`/v1/tickets/${ticket.id}`, a.headers('agent')), 200).fields).toEqual({ a_only_plan: 'gold' });
    expect(expectStatus(await c.get(`/v1/ticket-fields/${field.id}`, a.headers('agent')), 200).label).toBe('Plan');
    expect(expectStatus(await c.get(`/v1/ticket-forms/${form.id}`, a.headers('agent')), 200).name).toBe('A only form');
  });

  it("lists show only the caller's own tenant: no id or email of A in any of B's answers", async () => {
    // Make sure A has fresh audit entries and keys that B could leak.
    const aKey = expectStatus(await c.post('/v1/api-keys', { name: 'a-only-key', scopes: ['tickets:read'] }, a.headers('owner')), 201);
    expectStatus(await c.patch(`/v1/members/${a.users.technician.membershipId}`, { role: 'agent' }, a.headers('owner')), 200);

    const aIds = [
      a.tenant.id,
      a.tenant.slug,
      aKey.id,
      aKey.prefix,
      ...aKeyIds,
      ...Object.values(a.users).flatMap((u) => [u.email, u.membershipId, u.userId]),
    ];
    const bAnswers = [
      await c.get('/v1/members', b.headers('owner')),
      await c.get('/v1/members', b.headers('viewer')),
      await c.get('/v1/members', bearer(b.apiKeys.full)),
      await c.get('/v1/api-keys', b.headers('owner')),
      await c.get('/v1/audit-logs?limit=100', b.headers('owner')),
      await c.get('/v1/audit-logs?limit=100', bearer(b.apiKeys.full)),
      await c.get(`/v1/audit-logs?entityId=${a.users.technician.membershipId}`, b.headers('admin')),
      await c.get(`/v1/audit-logs?actorId=${a.users.owner.userId}`, b.headers('admin')),
      await c.get('/v1/me', b.headers('owner')),
      await c.get('/v1/me', bearer(b.apiKeys.full)),
    ];
    for (const res of bAnswers) {
      expect(res.status).toBe(200);
      for (const value of aIds) expect(res.text).not.toContain(value);
    }

    const members = bAnswers[0].body.data as { email: string }[];
    expect(members.map((m) => m.email).sort()).toEqual(Object.values(b.users).map((u) => u.email).sort());
    const keys = bAnswers[3].body.data as { name: string }[];
    expect(keys.map((k) => k.name).sort()).toEqual(['full', 'read-only']);
    expect(bAnswers[6].body.data).toEqual([]);
    expect(bAnswers[7].body.data).toEqual([]);
    const auditB = bAnswers[4].body.data as { entityId: string | null }[];
    expect(auditB.length).toBeGreaterThan(0);

    // And the other way round: A sees its own rows and none of B's.
    const aMembers = expectStatus(await c.get('/v1/members', a.headers('owner')), 200);
    for (const u of Object.values(b.users)) expect(JSON.stringify(aMembers)).not.toContain(u.email);
  });

  it('/me shows the credential’s own tenant', async () => {
    for (const [s, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const me = expectStatus(await c.get('/v1/me', s.headers('viewer')), 200);
      expect(me.tenant).toMatchObject({ id: s.tenant.id, slug: s.tenant.slug, name: s.tenant.name });
      expect(me.user.email).toBe(s.users.viewer.email);
      const keyMe = expectStatus(await c.get('/v1/me', bearer(s.apiKeys.readOnly)), 200);
      expect(keyMe.tenant.id).toBe(s.tenant.id);
      expect(JSON.stringify([me, keyMe])).not.toContain(other.tenant.id);
    }
  });

  it('a tenant hint in headers or the query string does not switch tenants', async () => {
    const headers = b.headers('owner', { 'x-tenant-id': a.tenant.id, 'x-tenant': a.tenant.slug });
    const me = expectStatus(await c.get('/v1/me', headers), 200);
    expect(me.tenant.id).toBe(b.tenant.id);
    const members = await c.get(`/v1/members?tenantId=${a.tenant.id}`, headers);
    // Either refused as an unknown parameter or ignored — never A's rows.
    expect([200, 400]).toContain(members.status);
    for (const u of Object.values(a.users)) expect(members.text).not.toContain(u.email);
    const audit = await c.get(`/v1/audit-logs?tenantId=${a.tenant.id}`, headers);
    expect([200, 400]).toContain(audit.status);
    expect(audit.text).not.toContain(a.users.owner.userId);
  });

  it('an Idempotency-Key used in tenant A is not replayed to the same user acting in tenant B', async () => {
    // A's admin also becomes a member of B (an existing user keeps their password).
    expectStatus(
      await c.post(`/v1/admin/tenants/${b.tenant.id}/members`, { email: a.users.admin.email, name: 'Shared', password: 'irrelevant password', role: 'admin' }, adminHeaders()),
      201,
    );
    const inA = a.users.admin;
    const tokenB = expectStatus(await c.post('/v1/auth/login', { email: inA.email, password: PASSWORD, tenant: b.tenant.slug }), 200);
    expect(tokenB.tenant.id).toBe(b.tenant.id);

    const key = `idem-${Date.now()}`;
    const body = { name: 'shared-idem-key', scopes: ['tickets:read'] };
    const first = await c.post('/v1/api-keys', body, a.headers('admin', { 'idempotency-key': key }));
    const createdInA = expectStatus(first, 201);
    const second = await c.post('/v1/api-keys', body, bearer(tokenB.accessToken, { 'idempotency-key': key }));
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    // B must not receive A's secret key…
    expect(second.body.key).not.toBe(createdInA.key);
    expect(second.body.id).not.toBe(createdInA.id);
    // …and the key must really exist in B.
    const keysB = (expectStatus(await c.get('/v1/api-keys', b.headers('owner')), 200).data as { id: string }[]).map((k) => k.id);
    expect(keysB).toContain(second.body.id);
    expect(keysB).not.toContain(createdInA.id);
  });

  it('chat channels: another tenant’s Telegram or WhatsApp channel answers like a missing one, and no channel’s webhook secret opens another’s webhook', async () => {
    const tgA = expectStatus(await c.post('/v1/channels', { kind: 'telegram', name: 'A bot', botToken: '111111:AAaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }, a.headers('owner')), 201);
    const tgB = expectStatus(await c.post('/v1/channels', { kind: 'telegram', name: 'B bot', botToken: '222222:AAbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }, b.headers('owner')), 201);
    const waA = expectStatus(await c.post('/v1/channels', { kind: 'whatsapp', name: 'A WhatsApp', whatsapp: { accessToken: 'EAAGaaaaaaaaaaaaaaaaaaaa', appSecret: 'aaaaaaaaaaaaaaaa1', phoneNumberId: '1000001' } }, a.headers('owner')), 201);
    for (const channel of [tgA, waA]) {
      sameAsMissing(await c.get(`/v1/channels/${channel.id}`, b.headers('owner')), await c.get(`/v1/channels/${RANDOM_UUID}`, b.headers('owner')), channel.id);
      sameAsMissing(
        await c.patch(`/v1/channels/${channel.id}`, { rotateWebhookSecret: true }, b.headers('owner', { 'if-match': '*' })),
        await c.patch(`/v1/channels/${RANDOM_UUID}`, { rotateWebhookSecret: true }, b.headers('owner', { 'if-match': '*' })),
        channel.id,
      );
    }
    const update = { update_id: 4242, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'Sam' }, text: 'hello' } };
    const tg = (id: string, secret: string) => c.post(`/v1/channels/${id}/inbound/telegram`, update, { 'x-telegram-bot-api-secret-token': secret });
    expectProblem(await tg(tgA.id, tgB.webhookSecret), 401, 'webhook-unauthorized');
    expectProblem(await tg(waA.id, waA.webhookSecret), 401, 'webhook-unauthorized'); // a WhatsApp channel is no Telegram webhook
    const stored = expectStatus(await tg(tgB.id, tgB.webhookSecret), 200);
    // The same update_id on A's channel is A's own, not a duplicate of B's.
    expect(expectStatus(await tg(tgA.id, tgA.webhookSecret), 200)).toMatchObject({ duplicate: false });
    expect((expectStatus(await c.get('/v1/channels/inbound?limit=100', a.headers('agent')), 200).data as { id: string }[]).map((r) => r.id)).not.toContain(stored.id);
    const verify = await fetch(`${api.url}/v1/channels/${waA.id}/inbound/whatsapp?hub.mode=subscribe&hub.verify_token=${tgB.webhookSecret}&hub.challenge=42`);
    expect(verify.status).toBe(403);
  });

  it('row-level security is the backstop: the application role pinned to B cannot see or touch A', async () => {
    const bMemberCount = (expectStatus(await c.get('/v1/members', b.headers('owner')), 200).data as unknown[]).length;
    const bKeyCount = (expectStatus(await c.get('/v1/api-keys', b.headers('owner')), 200).data as unknown[]).length;
    const result = await asTenantRole(b.tenant.id, async (db) => {
      const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];
      const out = {
        aMemberships: (await one(`SELECT count(*)::int AS n FROM memberships WHERE tenant_id = $1`, [a.tenant.id])).n,
        allMemberships: (await one(`SELECT count(*)::int AS n FROM memberships`)).n,
        memberTenants: (await db.query(`SELECT DISTINCT tenant_id FROM memberships`)).rows.map((r) => r.tenant_id),
        apiKeyTenants: (await db.query(`SELECT DISTINCT tenant_id FROM api_keys`)).rows.map((r) => r.tenant_id),
        apiKeys: (await one(`SELECT count(*)::int AS n FROM api_keys`)).n,
        aApiKeysById: (await one(`SELECT count(*)::int AS n FROM api_keys WHERE id = ANY($1::uuid[])`, [aKeyIds])).n,
        aUsers: (await one(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [a.users.owner.email])).n,
        aAudit: (await one(`SELECT count(*)::int AS n FROM audit_logs WHERE tenant_id = $1`, [a.tenant.id])).n,
        aRefresh: (await one(`SELECT count(*)::int AS n FROM refresh_tokens WHERE tenant_id = $1`, [a.tenant.id])).n,
        aMacros: (await one(`SELECT count(*)::int AS n FROM ticket_macros WHERE tenant_id = $1`, [a.tenant.id])).n,
        macroTenants: (await db.query(`SELECT DISTINCT tenant_id FROM ticket_macros`)).rows.map((r) => r.tenant_id),
        tenants: (await db.query(`SELECT id FROM tenants`)).rows.map((r) => r.id),
        // Writes aimed at A change nothing…
        updatedA: (await db.query(`UPDATE memberships SET role = 'viewer' WHERE tenant_id = $1`, [a.tenant.id])).rowCount,
        deletedA: (await db.query(`DELETE FROM api_keys WHERE tenant_id = $1`, [a.tenant.id])).rowCount,
        // …and rows for A cannot be written at all.
        insertIntoA: await pgErrorCode(db, `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`, [a.tenant.id, b.users.owner.userId]),
        moveToA: await pgErrorCode(db, `UPDATE api_keys SET tenant_id = $1`, [a.tenant.id]),
        // The audit log is append-only, even for the tenant's own rows.
        updateAudit: await pgErrorCode(db, `UPDATE audit_logs SET action = 'x'`),
        deleteAudit: await pgErrorCode(db, `DELETE FROM audit_logs`),
        deleteOwnAudit: await pgErrorCode(db, `DELETE FROM audit_logs WHERE tenant_id = $1`, [b.tenant.id]),
        truncateAudit: await pgErrorCode(db, `TRUNCATE audit_logs`),
      };
      return out;
    });
    expect(result).toMatchObject({
      aMemberships: 0,
      allMemberships: bMemberCount,
      apiKeys: bKeyCount,
      memberTenants: [b.tenant.id],
      apiKeyTenants: [b.tenant.id],
      aApiKeysById: 0,
      aUsers: 0,
      aAudit: 0,
      aRefresh: 0,
      aMacros: 0,
      macroTenants: [],
      tenants: [b.tenant.id],
      updatedA: 0,
      deletedA: 0,
      insertIntoA: '42501',
      moveToA: '42501',
      updateAudit: '42501',
      deleteAudit: '42501',
      deleteOwnAudit: '42501',
      truncateAudit: '42501',
    });

    // Rolled back, and A never noticed.
    const aMembers = expectStatus(await c.get('/v1/members', a.headers('owner')), 200).data as { role: string }[];
    expect(aMembers.filter((m) => m.role === 'owner').length).toBe(1);
    expectStatus(await c.get('/v1/members', bearer(a.apiKeys.full)), 200);
  });

  it('with no tenant pinned, the application role sees no tenant rows at all', async () => {
    const counts = await asTenantRole('', async (db) => ({
      memberships: (await db.query(`SELECT count(*)::int AS n FROM memberships`)).rows[0].n,
      apiKeys: (await db.query(`SELECT count(*)::int AS n FROM api_keys`)).rows[0].n,
      audit: (await db.query(`SELECT count(*)::int AS n FROM audit_logs`)).rows[0].n,
    }));
    expect(counts).toEqual({ memberships: 0, apiKeys: 0, audit: 0 });
  });
});
