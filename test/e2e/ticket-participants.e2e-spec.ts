import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

describe('ticket participants: CCs and followers', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let ticketId: string;
  let contactId: string;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
    contactId = (await (await call(acme, 'POST', '/contacts', { name: 'Copied', emails: ['cc@example.com'] })).json()).id;
    ticketId = (await (await call(acme, 'POST', '/tickets', { subject: 'Shared', requester: { email: 'req@example.com' } })).json()).id;
  });
  afterAll(async () => {
    await api?.stop();
  });

  function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: 'agent' | 'viewer' = 'agent') {
    return fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role), body: body === undefined ? undefined : JSON.stringify(body) });
  }

  it('adds a CC and a follower once, lists and removes them, recording history', async () => {
    const cc = await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'cc', participantId: contactId });
    expect(cc.status).toBe(201);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'cc', participantId: contactId })).status).toBe(200);
    const follower = await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'follower', participantId: acme.users.agent.userId });
    expect(follower.status).toBe(201);
    const list = await (await call(acme, 'GET', `/tickets/${ticketId}/participants`, undefined, 'viewer')).json();
    expect(list.data.map((p: { role: string; participantId: string }) => [p.role, p.participantId])).toEqual([
      ['cc', contactId],
      ['follower', acme.users.agent.userId],
    ]);
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/participants/cc/${contactId}`)).status).toBe(204);
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/participants/cc/${contactId}`)).status).toBe(404);
    const history = await (await call(acme, 'GET', `/tickets/${ticketId}/history`)).json();
    expect(history.data.map((e: { action: string }) => e.action).slice(0, 3)).toEqual(['ticket.cc_removed', 'ticket.follower_added', 'ticket.cc_added']);
  });

  it('refuses CCs and followers who are not this tenant’s contacts or working members', async () => {
    const theirContact = (await (await call(globex, 'POST', '/contacts', { name: 'Theirs' })).json()).id;
    const foreignCc = await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'cc', participantId: theirContact });
    expect(foreignCc.status).toBe(422);
    expect((await foreignCc.json()).errors[0].field).toBe('contactId');
    expect((await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'follower', participantId: acme.users.viewer.userId })).status).toBe(422);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'follower', participantId: globex.users.agent.userId })).status).toBe(422);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'boss', participantId: contactId })).status).toBe(400);
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/participants/boss/${contactId}`)).status).toBe(400);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'cc', participantId: contactId }, 'viewer')).status).toBe(403);
  });

  it('answers 404 to another tenant on every participant route', async () => {
    await call(acme, 'POST', `/tickets/${ticketId}/participants`, { role: 'cc', participantId: contactId });
    expect((await call(globex, 'GET', `/tickets/${ticketId}/participants`)).status).toBe(404);
    expect((await call(globex, 'POST', `/tickets/${ticketId}/participants`, { role: 'follower', participantId: globex.users.agent.userId })).status).toBe(404);
    expect((await call(globex, 'DELETE', `/tickets/${ticketId}/participants/cc/${contactId}`)).status).toBe(404);
    const list = await (await call(acme, 'GET', `/tickets/${ticketId}/participants`)).json();
    expect(list.data.map((p: { participantId: string }) => p.participantId)).toContain(contactId);
  });
});

describe('ticket assignment history', () => {
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

  it('lists each assignment change with from and to, newest first, and nothing else', async () => {
    const headers = acme.headers('agent');
    const ticket = await (await fetch(`${api.url}/v1/tickets`, { method: 'POST', headers, body: JSON.stringify({ subject: 'Assign me', requester: { email: 'a@example.com' }, assigneeId: acme.users.agent.userId }) })).json();
    const patch = (version: number, body: unknown) =>
      fetch(`${api.url}/v1/tickets/${ticket.id}`, { method: 'PATCH', headers: acme.headers('agent', { 'if-match': `W/"${version}"` }), body: JSON.stringify(body) });
    expect((await patch(1, { assigneeId: acme.users.admin.userId })).status).toBe(200);
    expect((await patch(2, { priority: 'high' })).status).toBe(200);
    expect((await patch(3, { assigneeId: null })).status).toBe(200);
    const res = await (await fetch(`${api.url}/v1/tickets/${ticket.id}/assignments`, { headers: acme.headers('viewer') })).json();
    expect(res.data.map((e: { changes: { assigneeId: { from?: string | null; to?: string | null } } }) => e.changes.assigneeId)).toEqual([
      { from: acme.users.admin.userId, to: null },
      { from: acme.users.agent.userId, to: acme.users.admin.userId },
      { to: acme.users.agent.userId },
    ]);
    expect((await fetch(`${api.url}/v1/tickets/${ticket.id}/assignments`, { headers: globex.headers('admin') })).status).toBe(404);
  });

  it('lists no entry for a ticket created without an assignee, then its first assignment', async () => {
    const headers = acme.headers('agent');
    const ticket = await (await fetch(`${api.url}/v1/tickets`, { method: 'POST', headers, body: JSON.stringify({ subject: 'Nobody yet', requester: { email: 'b@example.com' } }) })).json();
    const list = async () => (await (await fetch(`${api.url}/v1/tickets/${ticket.id}/assignments`, { headers })).json()).data.map((e: { changes: { assigneeId: unknown } }) => e.changes.assigneeId);
    expect(await list()).toEqual([]);
    const patched = await fetch(`${api.url}/v1/tickets/${ticket.id}`, { method: 'PATCH', headers: acme.headers('agent', { 'if-match': 'W/"1"' }), body: JSON.stringify({ assigneeId: acme.users.agent.userId }) });
    expect(patched.status).toBe(200);
    expect(await list()).toEqual([{ from: null, to: acme.users.agent.userId }]);
  });
});
