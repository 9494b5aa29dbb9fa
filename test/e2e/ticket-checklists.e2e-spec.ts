import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** Checklists on tickets (from templates or on the spot) and read-only links to work tracked elsewhere, written by integrations. */
describe('ticket checklists and external work', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let ticketId: string;
  let integration: string;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
    ticketId = (await call(acme, 'POST', '/tickets', { subject: 'Annual boiler service', requester: { email: 'pat@example.com' } })).body.id;
    integration = (await call(acme, 'POST', '/api-keys', { name: 'jira sync', scopes: ['tickets:read', 'tickets:links'] }, 'owner')).body.key;
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'agent') {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  async function asKey(key: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  it('makes checklists from templates that owners and admins keep; ticking records who and when', async () => {
    const template = await call(acme, 'POST', '/checklist-templates', { name: 'Boiler service', items: [' Check the pressure ', 'Bleed the radiators', 'Test the flue'] }, 'admin');
    expect(template.status).toBe(201);
    expect(template.body.items).toEqual(['Check the pressure', 'Bleed the radiators', 'Test the flue']);
    expect((await call(acme, 'POST', '/checklist-templates', { name: 'x', items: ['a'] }, 'agent')).status).toBe(403);

    const checklist = await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { templateId: template.body.id });
    expect(checklist.status).toBe(201);
    expect(checklist.body).toMatchObject({ title: 'Boiler service', templateId: template.body.id, createdBy: acme.users.agent.userId });
    expect(checklist.body.items.map((i: { text: string; position: number }) => [i.position, i.text])).toEqual([[1, 'Check the pressure'], [2, 'Bleed the radiators'], [3, 'Test the flue']]);

    // The template changes; the checklist made from it keeps its items.
    await call(acme, 'PATCH', `/checklist-templates/${template.body.id}`, { items: ['Only one'] }, 'admin');
    const [first, second] = checklist.body.items;
    const ticked = await call(acme, 'PATCH', `/tickets/${ticketId}/checklists/${checklist.body.id}/items/${first.id}`, { done: true });
    expect(ticked.status).toBe(200);
    expect(ticked.body.items[0]).toMatchObject({ doneBy: acme.users.agent.userId, doneAt: expect.any(String) });
    expect(ticked.body.items).toHaveLength(3);
    // Ticking again by someone else keeps the first tick.
    const again = await call(acme, 'PATCH', `/tickets/${ticketId}/checklists/${checklist.body.id}/items/${first.id}`, { done: true }, 'admin');
    expect(again.body.items[0].doneBy).toBe(acme.users.agent.userId);
    const renamed = await call(acme, 'PATCH', `/tickets/${ticketId}/checklists/${checklist.body.id}/items/${second.id}`, { text: 'Bleed every radiator' });
    expect(renamed.body.items[1].text).toBe('Bleed every radiator');
    const untick = await call(acme, 'PATCH', `/tickets/${ticketId}/checklists/${checklist.body.id}/items/${first.id}`, { done: false });
    expect(untick.body.items[0]).toMatchObject({ doneAt: null, doneBy: null });

    const added = await call(acme, 'POST', `/tickets/${ticketId}/checklists/${checklist.body.id}/items`, { text: 'Photograph the flue' });
    expect(added.status).toBe(201);
    expect(added.body.items.at(-1)).toMatchObject({ position: 4, text: 'Photograph the flue' });
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/checklists/${checklist.body.id}/items/${second.id}`)).status).toBe(204);
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/checklists/${checklist.body.id}/items/${second.id}`)).status).toBe(404);

    const onSpot = await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { title: 'Paperwork', items: ['Signed report'] });
    expect(onSpot.status).toBe(201);
    const list = await call(acme, 'GET', `/tickets/${ticketId}/checklists`, undefined, 'viewer');
    expect(list.body.data.map((c: { title: string; items: unknown[] }) => [c.title, c.items.length])).toEqual([['Boiler service', 3], ['Paperwork', 1]]);
    expect((await call(acme, 'DELETE', `/tickets/${ticketId}/checklists/${onSpot.body.id}`)).status).toBe(204);

    const history = (await call(acme, 'GET', `/tickets/${ticketId}/history`)).body.data.map((e: { action: string }) => e.action);
    expect(history).toEqual(expect.arrayContaining(['ticket.checklist_added', 'ticket.checklist_item_done', 'ticket.checklist_item_undone', 'ticket.checklist_item_renamed', 'ticket.checklist_item_added', 'ticket.checklist_item_removed', 'ticket.checklist_deleted']));
  });

  it('refuses bad checklist input', async () => {
    expect((await call(acme, 'POST', `/tickets/${ticketId}/checklists`, {})).status).toBe(400);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { title: 'T', items: [] })).status).toBe(400);
    expect((await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { title: 'T', items: ['   '] })).status).toBe(400);
    const unknown = await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { templateId: '0b7e1c55-7d0e-4a53-9d4e-0f1b1b0a7c11' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('templateId');
    const c = (await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { title: 'Edge', items: ['a'] })).body;
    expect((await call(acme, 'PATCH', `/tickets/${ticketId}/checklists/${c.id}/items/${c.items[0].id}`, {})).status).toBe(400);
    const both = await call(acme, 'PATCH', `/tickets/${ticketId}/checklists/${c.id}/items/${c.items[0].id}`, { done: true, text: 'renamed' });
    expect(both.status).toBe(400);
    expect((await call(acme, 'GET', `/tickets/${ticketId}/checklists`)).body.data.find((x: { id: string }) => x.id === c.id).items[0]).toMatchObject({ text: 'a', doneAt: null });
    expect((await call(acme, 'PATCH', `/tickets/${ticketId}/checklists/${c.id}/items/${c.items[0].id}`, { done: 'yes' })).status).toBe(400);
    expect((await call(acme, 'POST', '/checklist-templates', { name: 'Big', items: Array.from({ length: 101 }, (_, i) => `item ${i}`) }, 'admin')).status).toBe(400);
    const full = (await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { title: 'Full', items: Array.from({ length: 100 }, (_, i) => `item ${i}`) })).body;
    const over = await call(acme, 'POST', `/tickets/${ticketId}/checklists/${full.id}/items`, { text: 'one more' });
    expect(over.status).toBe(422);
    expect(over.body.type).toMatch(/checklist-full/);
  });

  it('mirrors outside work through integration keys only, idempotent on the external id', async () => {
    const task = { kind: 'task', system: 'jira', externalId: 'OPS-1432', title: 'Order a replacement valve', status: 'in_progress', dueAt: '2026-12-10T12:00:00Z', assignee: 'Sam', url: 'https://jira.example.com/browse/OPS-1432' };
    const created = await asKey(integration, 'PUT', `/tickets/${ticketId}/external-links`, task);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'task', system: 'jira', externalId: 'OPS-1432', status: 'in_progress', dueAt: '2026-12-10T12:00:00.000Z', version: 1 });
    const updated = await asKey(integration, 'PUT', `/tickets/${ticketId}/external-links`, { ...task, status: 'done' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, status: 'done', version: 2 });
    const session = await asKey(integration, 'PUT', `/tickets/${ticketId}/external-links`, { kind: 'agent_session', system: 'switchboard-agents', externalId: 'sess_81', agentKey: 'parts-finder', purpose: 'Find a valve supplier', status: 'completed', outcome: 'Two suppliers found', confidence: 0.82 });
    expect(session.status).toBe(201);

    const list = await call(acme, 'GET', `/tickets/${ticketId}/external-links`, undefined, 'viewer');
    expect(list.body.data.map((l: { externalId: string }) => l.externalId)).toEqual(['sess_81', 'OPS-1432']);
    expect(list.body.data[0]).toMatchObject({ kind: 'agent_session', agentKey: 'parts-finder', confidence: 0.82 });

    // People (even owners) and keys without the scope cannot write them.
    expect((await call(acme, 'PUT', `/tickets/${ticketId}/external-links`, task, 'owner')).status).toBe(403);
    expect((await asKey(acme.apiKeys.full, 'PUT', `/tickets/${ticketId}/external-links`, task)).status).toBe(403);
    const bad = await asKey(integration, 'PUT', `/tickets/${ticketId}/external-links`, { ...task, system: 'Jira Cloud', confidence: 2 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['system', 'confidence']));

    expect((await asKey(integration, 'DELETE', `/tickets/${ticketId}/external-links/${session.body.id}`)).status).toBe(204);
    expect((await call(acme, 'GET', `/tickets/${ticketId}/external-links`)).body.data).toHaveLength(1);
  });

  it('answers 404 to another tenant on every route', async () => {
    const c = (await call(acme, 'POST', `/tickets/${ticketId}/checklists`, { title: 'Private', items: ['a'] })).body;
    const template = (await call(acme, 'POST', '/checklist-templates', { name: 'Ours', items: ['a'] }, 'admin')).body;
    const theirKey = (await call(globex, 'POST', '/api-keys', { name: 'sync', scopes: ['tickets:read', 'tickets:links'] }, 'owner')).body.key;
    for (const [method, path, body] of [
      ['GET', `/tickets/${ticketId}/checklists`],
      ['POST', `/tickets/${ticketId}/checklists`, { title: 'x', items: ['y'] }],
      ['DELETE', `/tickets/${ticketId}/checklists/${c.id}`],
      ['POST', `/tickets/${ticketId}/checklists/${c.id}/items`, { text: 'x' }],
      ['PATCH', `/tickets/${ticketId}/checklists/${c.id}/items/${c.items[0].id}`, { done: true }],
      ['GET', `/tickets/${ticketId}/external-links`],
    ] as const) {
      expect([method, path, (await call(globex, method, path, body)).status]).toEqual([method, path, 404]);
    }
    expect((await call(globex, 'PATCH', `/checklist-templates/${template.id}`, { name: 'Mine' }, 'admin')).status).toBe(404);
    expect((await call(globex, 'POST', `/tickets/${(await call(globex, 'POST', '/tickets', { subject: 's', requester: { email: 'a@example.com' } })).body.id}/checklists`, { templateId: template.id })).status).toBe(422);
    expect((await asKey(theirKey, 'PUT', `/tickets/${ticketId}/external-links`, { kind: 'task', system: 'jira', externalId: 'X-1' })).status).toBe(404);
    expect((await call(globex, 'GET', '/checklist-templates')).body.data.map((t: { id: string }) => t.id)).not.toContain(template.id);
  });
});
