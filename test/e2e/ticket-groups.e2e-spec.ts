import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** Ticket groups: set up by owners and admins, read by everyone who reads tickets, the home of tickets, and the AI posture of their tickets. */
describe('ticket groups', () => {
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

  const createGroup = async (tenant: TenantSession, body: Record<string, unknown>) => {
    const res = await call(tenant, 'POST', '/groups', body);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('creates, reads, changes and lists groups; names are unique ignoring case', async () => {
    const created = await call(acme, 'POST', '/groups', { name: '  Billing ', description: 'Invoices and refunds', aiAssists: { draft: false }, emailSignature: 'The billing team', assignmentPolicy: 'round_robin' });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/groups/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    expect(created.body).toMatchObject({ name: 'Billing', aiAssists: { summary: true, draft: false, triage: true }, memberCount: 0, businessCalendarId: null, slaPolicyId: null, version: 1 });

    const duplicate = await call(acme, 'POST', '/groups', { name: 'BILLING' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(duplicate.body.errors).toEqual([{ field: 'name', message: 'must be unique' }]);
    // Another tenant may use the same name.
    await createGroup(globex, { name: 'Billing' });

    const changed = await call(acme, 'PATCH', `/groups/${created.body.id}`, { aiAssists: { triage: false }, slaPolicyId: '0b7e1c55-7d0e-4a53-9d4e-0f1b1b0a7c11' }, 'admin', { 'if-match': 'W/"1"' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ aiAssists: { summary: true, draft: false, triage: false }, slaPolicyId: '0b7e1c55-7d0e-4a53-9d4e-0f1b1b0a7c11', version: 2 });
    const stale = await call(acme, 'PATCH', `/groups/${created.body.id}`, { name: 'Money' }, 'admin', { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);

    await createGroup(acme, { name: 'Apprentices' });
    const list = await call(acme, 'GET', '/groups?limit=1', undefined, 'viewer');
    expect(list.status).toBe(200);
    expect(list.body.data.map((g: { name: string }) => g.name)).toEqual(['Apprentices']);
    const next = await call(acme, 'GET', `/groups?limit=1&cursor=${list.body.nextCursor}`, undefined, 'viewer');
    expect(next.body.data.map((g: { name: string }) => g.name)).toEqual(['Billing']);

    const audit = await call(acme, 'GET', `/audit-logs?entityId=${created.body.id}`, undefined, 'owner');
    expect(audit.status).toBe(200);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['ticket_group.created', 'ticket_group.updated']));
  });

  it('refuses bad input with a problem naming the field', async () => {
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'A', aiAssists: { draft: 'no' } }, 'aiAssists.draft'],
      [{ name: 'A', slaPolicyId: 'not-a-uuid' }, 'slaPolicyId'],
      [{ name: 'A', assignmentPolicy: 'Round Robin!' }, 'assignmentPolicy'],
    ] as const) {
      const res = await call(acme, 'POST', '/groups', body);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await call(acme, 'GET', '/groups?memberId=someone', undefined, 'agent')).status).toBe(400);
    expect((await call(acme, 'GET', '/tickets?groupId=nope', undefined, 'agent')).status).toBe(400);
  });

  it('lets owners and admins set groups up, and everyone who reads tickets read them', async () => {
    expect((await call(acme, 'POST', '/groups', { name: 'Agents may not' }, 'agent')).status).toBe(403);
    expect((await call(acme, 'POST', '/groups', { name: 'Owners may' }, 'owner')).status).toBe(201);
    expect((await call(acme, 'GET', '/groups', undefined, 'viewer')).status).toBe(200);
  });

  it('keeps members: owners, admins and agents only, added and removed once each', async () => {
    const group = await createGroup(acme, { name: 'Field team' });
    expect((await call(acme, 'PUT', `/groups/${group.id}/members/${acme.users.agent.userId}`)).status).toBe(204);
    expect((await call(acme, 'PUT', `/groups/${group.id}/members/${acme.users.agent.userId}`)).status).toBe(204);
    const viewer = await call(acme, 'PUT', `/groups/${group.id}/members/${acme.users.viewer.userId}`);
    expect(viewer.status).toBe(422);
    expect(viewer.body.errors[0].field).toBe('userId');
    expect((await call(acme, 'PUT', `/groups/${group.id}/members/${globex.users.agent.userId}`)).status).toBe(422);

    const members = await call(acme, 'GET', `/groups/${group.id}/members`, undefined, 'agent');
    expect(members.body.data.map((m: { userId: string }) => m.userId)).toEqual([acme.users.agent.userId]);
    expect((await call(acme, 'GET', `/groups/${group.id}`, undefined, 'agent')).body.memberCount).toBe(1);
    const mine = await call(acme, 'GET', '/groups?memberId=me', undefined, 'agent');
    expect(mine.body.data.map((g: { id: string }) => g.id)).toEqual([group.id]);

    expect((await call(acme, 'DELETE', `/groups/${group.id}/members/${acme.users.agent.userId}`)).status).toBe(204);
    expect((await call(acme, 'DELETE', `/groups/${group.id}/members/${acme.users.agent.userId}`)).status).toBe(204);
    expect((await call(acme, 'GET', `/groups/${group.id}/members`, undefined, 'agent')).body.data).toEqual([]);
  });

  it('puts tickets in groups: member-only assignees, moving unassigns, lists filter by group', async () => {
    const support = await createGroup(acme, { name: 'Support' });
    await call(acme, 'PUT', `/groups/${support.id}/members/${acme.users.agent.userId}`);

    const inGroup = await call(acme, 'POST', '/tickets', { subject: 'Printer jams', requester: { email: 'pat@example.com' }, groupId: support.id, assigneeId: acme.users.agent.userId }, 'agent');
    expect(inGroup.status).toBe(201);
    expect(inGroup.body).toMatchObject({ groupId: support.id, assigneeId: acme.users.agent.userId });

    const outsider = await call(acme, 'POST', '/tickets', { subject: 'x', requester: { email: 'pat@example.com' }, groupId: support.id, assigneeId: acme.users.admin.userId }, 'agent');
    expect(outsider.status).toBe(422);
    expect(outsider.body.type).toMatch(/assignee-not-in-group/);
    const foreignGroup = (await createGroup(globex, { name: 'Their support' })).id;
    const foreign = await call(acme, 'POST', '/tickets', { subject: 'x', requester: { email: 'pat@example.com' }, groupId: foreignGroup }, 'agent');
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].field).toBe('groupId');

    const other = await createGroup(acme, { name: 'Escalations' });
    const moved = await call(acme, 'PATCH', `/tickets/${inGroup.body.id}`, { groupId: other.id }, 'agent', { 'if-match': `"${inGroup.body.version}"` });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ groupId: other.id, assigneeId: null });
    const history = await call(acme, 'GET', `/tickets/${inGroup.body.id}/history`, undefined, 'agent');
    expect(history.body.data[0].changes).toMatchObject({ groupId: { from: support.id, to: other.id }, assigneeId: { from: acme.users.agent.userId, to: null } });

    const loose = await call(acme, 'POST', '/tickets', { subject: 'No group', requester: { email: 'pat@example.com' } }, 'agent');
    const byGroup = await call(acme, 'GET', `/tickets?groupId=${other.id}`, undefined, 'viewer');
    expect(byGroup.body.data.map((t: { id: string }) => t.id)).toEqual([inGroup.body.id]);
    const none = await call(acme, 'GET', '/tickets?groupId=none', undefined, 'viewer');
    expect(none.body.data.map((t: { id: string }) => t.id)).toContain(loose.body.id);
    expect(none.body.data.map((t: { id: string }) => t.id)).not.toContain(inGroup.body.id);

    // A group with unsolved tickets cannot be deleted; once they are solved it can, and tickets keep naming it.
    const refused = await call(acme, 'DELETE', `/groups/${other.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: expect.stringMatching(/group-in-use/), unsolvedTickets: 1 });
    const solved = await call(acme, 'PATCH', `/tickets/${inGroup.body.id}`, { status: 'solved' }, 'agent', { 'if-match': `"${moved.body.version}"` });
    expect(solved.status).toBe(200);
    expect((await call(acme, 'DELETE', `/groups/${other.id}`)).status).toBe(204);
    expect((await call(acme, 'GET', `/groups/${other.id}`)).status).toBe(404);
    expect((await call(acme, 'GET', `/tickets/${inGroup.body.id}`, undefined, 'agent')).body.groupId).toBe(other.id);
    const intoDeleted = await call(acme, 'PATCH', `/tickets/${loose.body.id}`, { groupId: other.id }, 'agent', { 'if-match': `"${loose.body.version}"` });
    expect(intoDeleted.status).toBe(422);
    expect(intoDeleted.body.detail).toMatch(/was deleted/);
  });

  it('enforces the group’s AI posture, and triage routes to one of the tenant’s groups', async () => {
    const quiet = await createGroup(acme, { name: 'Legal', aiAssists: { summary: false, draft: false } });
    const ticket = (await call(acme, 'POST', '/tickets', { subject: 'Contract question', description: 'Please review clause 4.', requester: { email: 'law@example.com' }, groupId: quiet.id }, 'agent')).body;
    const summary = await call(acme, 'POST', `/tickets/${ticket.id}/ai/summary`, undefined, 'agent');
    expect(summary.status).toBe(403);
    expect(summary.body).toMatchObject({ type: expect.stringMatching(/ai-assist-disabled/), assist: 'summary', groupId: quiet.id });
    expect((await call(acme, 'POST', `/tickets/${ticket.id}/ai/draft`, undefined, 'agent')).status).toBe(403);
    expect((await call(acme, 'POST', `/tickets/${ticket.id}/ai/triage`, undefined, 'agent')).status).toBe(201);

    // The offline provider routes an invoice question to the group named for billing.
    const money = (await call(acme, 'GET', '/groups')).body.data.find((g: { name: string }) => g.name === 'Billing');
    await call(acme, 'PATCH', `/groups/${money.id}`, { aiAssists: { triage: true } });
    const invoice = (await call(acme, 'POST', '/tickets', { subject: 'Wrong invoice', description: 'I was charged twice on my invoice, please refund.', requester: { email: 'pay@example.com' } }, 'agent')).body;
    const triage = await call(acme, 'POST', `/tickets/${invoice.id}/ai/triage`, undefined, 'agent');
    expect(triage.status).toBe(201);
    expect(triage.body.output.group).toMatchObject({ value: money.id, name: 'Billing' });
    const accepted = await call(acme, 'POST', `/tickets/${invoice.id}/ai/suggestions/${triage.body.id}/accept`, {}, 'agent');
    expect(accepted.status).toBe(200);
    expect(accepted.body.suggestion.applied).toMatchObject({ fields: ['priority', 'tags', 'group'], groupId: money.id });
    expect(accepted.body.ticket.groupId).toBe(money.id);
  });

  it('answers 404 to another tenant on every group route', async () => {
    const group = await createGroup(acme, { name: 'Private' });
    const id = group.id;
    for (const [method, path, body] of [
      ['GET', `/groups/${id}`],
      ['PATCH', `/groups/${id}`, { name: 'Mine now' }],
      ['DELETE', `/groups/${id}`],
      ['GET', `/groups/${id}/members`],
      ['PUT', `/groups/${id}/members/${globex.users.agent.userId}`],
      ['DELETE', `/groups/${id}/members/${globex.users.agent.userId}`],
    ] as const) {
      const res = await call(globex, method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
    }
    expect((await call(globex, 'GET', '/groups')).body.data.map((g: { id: string }) => g.id)).not.toContain(id);
    expect((await call(acme, 'GET', `/groups/${id}`)).body.name).toBe('Private');
  });
});
