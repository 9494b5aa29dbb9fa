import { randomBytes } from 'node:crypto';
import { startApi, type RunningApi } from '../support/processes';
import { RANDOM_UUID } from '../support/http';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';
type Res = { status: number; headers: Headers; body: any };

const PROBLEM = /^application\/problem\+json/;
const unique = () => randomBytes(4).toString('hex');

/** Macros (kept by admins, previewed and applied by agents, one ticket or many) and merging duplicate tickets. */
describe('ticket macros and merge', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let groupId: string;
  let templateId: string;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
    groupId = ok(await call(acme, 'POST', '/groups', { name: 'Heating' }, 'admin'), 201).id;
    ok(await call(acme, 'PUT', `/groups/${groupId}/members/${acme.users.agent.userId}`, undefined, 'admin'), 204);
    templateId = ok(await call(acme, 'POST', '/checklist-templates', { name: 'Boiler visit', items: ['Check the pressure', 'Test the flue'] }, 'admin'), 201).id;
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function call(tenant: TenantSession, method: string, path: string, body?: unknown, role: Role = 'agent', extra: Record<string, string> = {}): Promise<Res> {
    const res = await fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }
  function ok(res: Res, status: number): any {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }
  function problem(res: Res, status: number, type?: string): any {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    if (type) expect(res.body.type).toBe(`https://switchboard.dev/problems/${type}`);
    return res.body;
  }
  const newTicket = async (tenant: TenantSession, extra: Record<string, unknown> = {}, name = 'Pat') =>
    ok(await call(tenant, 'POST', '/tickets', { subject: `Boiler knocks ${unique()}`, description: 'It knocks at night.', requester: { email: `pat.${unique()}@example.com`, name }, ...extra }), 201);
  const getTicket = async (id: string) => ok(await call(acme, 'GET', `/tickets/${id}`), 200);
  const messagesOf = async (id: string) => ok(await call(acme, 'GET', `/tickets/${id}/messages?limit=100`), 200).data as { id: string; body: string; html: string | null; ticketId: string; authorType: string }[];
  const historyOf = async (id: string) => ok(await call(acme, 'GET', `/tickets/${id}/history?limit=100`), 200).data as { action: string; changes: Record<string, { from?: unknown; to?: any }> }[];
  const createMacro = async (body: Record<string, unknown>) => ok(await call(acme, 'POST', '/macros', { name: `Macro ${unique()}`, ...body }, 'admin'), 201);

  describe('macros', () => {
    let macro: any;

    it('are kept by owners and admins: actions, placeholders and references are checked when saved; each change counts the version up', async () => {
      const actions = [
        { type: 'set_status', value: 'pending' },
        { type: 'set_priority', value: 'high' },
        { type: 'set_type', value: 'incident' },
        { type: 'add_tags', tags: ['VIP'] },
        { type: 'remove_tags', tags: ['spam'] },
        { type: 'set_group', value: groupId },
        { type: 'set_assignee', value: acme.users.agent.userId },
        { type: 'add_reply', visibility: 'public', body: 'Hi {{ticket.requester.name}},\nabout #{{ticket.number}} ({{ticket.subject}}): we are on it.\n{{ agent.name }}' },
        { type: 'add_reply', visibility: 'internal', body: 'Escalated by macro' },
        { type: 'add_checklist', templateId },
      ];
      problem(await call(acme, 'POST', '/macros', { name: 'Escalate', actions }, 'agent'), 403);

      const unknownPlaceholder = problem(await call(acme, 'POST', '/macros', { name: 'Escalate', actions: [{ type: 'add_reply', visibility: 'public', body: 'Hi {{ticket.requester.phone}}' }] }, 'admin'), 422, 'unknown-placeholder');
      expect(unknownPlaceholder.detail).toContain('{{ticket.requester.phone}}');
      expect(unknownPlaceholder.errors).toEqual([{ field: 'actions[0].body', message: 'unknown placeholder {{ticket.requester.phone}}' }]);

      const goneGroup = problem(await call(acme, 'POST', '/macros', { name: 'Escalate', actions: [{ type: 'set_group', value: RANDOM_UUID }] }, 'admin'), 422, 'invalid-reference');
      expect(goneGroup.errors[0].field).toBe('actions[0]');
      const viewerAssignee = problem(await call(acme, 'POST', '/macros', { name: 'Escalate', actions: [{ type: 'set_assignee', value: acme.users.viewer.userId }] }, 'admin'), 422);
      expect(viewerAssignee.errors[0].field).toBe('actions[0].value');

      const created = await call(acme, 'POST', '/macros', { name: ' Escalate ', description: 'Heating emergencies', actions }, 'admin');
      macro = ok(created, 201);
      expect(created.headers.get('location')).toBe(`/v1/macros/${macro.id}`);
      expect(created.headers.get('etag')).toBe('W/"1"');
      expect(macro).toMatchObject({ name: 'Escalate', active: true, usageCount: 0, lastUsedAt: null, broken: null, version: 1 });
      expect(macro.actions[3]).toEqual({ type: 'add_tags', tags: ['vip'] });
      problem(await call(acme, 'POST', '/macros', { name: 'ESCALATE', actions }, 'admin'), 409, 'conflict');

      problem(await call(acme, 'PATCH', `/macros/${macro.id}`, { description: 'x' }, 'admin', { 'if-match': 'W/"7"' }), 412);
      const changed = ok(await call(acme, 'PATCH', `/macros/${macro.id}`, { description: 'Heating emergencies, out of hours' }, 'admin', { 'if-match': 'W/"1"' }), 200);
      expect(changed.version).toBe(2);
      macro = changed;

      const list = ok(await call(acme, 'GET', '/macros?active=true', undefined, 'viewer'), 200);
      expect(list.data.map((m: { id: string }) => m.id)).toContain(macro.id);
      expect(ok(await call(acme, 'GET', `/macros/${macro.id}`, undefined, 'viewer'), 200).description).toBe('Heating emergencies, out of hours');
      const audit = ok(await call(acme, 'GET', `/audit-logs?entityId=${macro.id}`, undefined, 'owner'), 200);
      expect(audit.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['ticket_macro.created', 'ticket_macro.updated']));
    });

    it('preview shows the resulting ticket and messages, escaped, with nothing written', async () => {
      const ticket = await newTicket(acme, { tags: ['spam', 'boiler'] }, 'Pat <img src=x onerror=alert(1)>');
      const before = { ticket: await getTicket(ticket.id), messages: await messagesOf(ticket.id), history: await historyOf(ticket.id) };

      const preview = ok(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${macro.id}/preview`), 200);
      expect(preview.ticket).toMatchObject({ id: ticket.id, status: 'pending', priority: 'high', type: 'incident', tags: ['boiler', 'vip'], groupId, assigneeId: acme.users.agent.userId, version: ticket.version });
      expect(preview.delta.status).toEqual({ from: 'new', to: 'pending' });
      expect(preview.messages).toHaveLength(2);
      expect(preview.messages[0].body).toBe(`Hi Pat <img src=x onerror=alert(1)>,\nabout #${ticket.number} (${ticket.subject}): we are on it.\nagent`);
      expect(preview.messages[0].html).toBe(`Hi Pat &lt;img src=x onerror=alert(1)&gt;,<br>about #${ticket.number} (${ticket.subject}): we are on it.<br>agent`);
      expect(preview.checklists).toEqual([{ templateId, title: 'Boiler visit', items: ['Check the pressure', 'Test the flue'] }]);
      expect(preview.macro).toEqual({ id: macro.id, name: 'Escalate', version: 2 });

      expect(await getTicket(ticket.id)).toEqual(before.ticket);
      expect(await messagesOf(ticket.id)).toEqual(before.messages);
      expect(await historyOf(ticket.id)).toEqual(before.history);
      expect(ok(await call(acme, 'GET', `/tickets/${ticket.id}/checklists`), 200).data).toEqual([]);
      expect(ok(await call(acme, 'GET', `/macros/${macro.id}`), 200).usageCount).toBe(0);
      problem(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${macro.id}/preview`, undefined, 'viewer'), 403);
    });

    it('apply needs the ticket’s If-Match and does everything the preview showed, in one go, audited with the macro’s id and version', async () => {
      const ticket = await newTicket(acme, { tags: ['spam'] });
      const path = `/tickets/${ticket.id}/macros/${macro.id}/apply`;
      problem(await call(acme, 'POST', path), 428);
      problem(await call(acme, 'POST', path, undefined, 'agent', { 'if-match': `W/"${ticket.version + 5}"` }), 412);
      const preview = ok(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${macro.id}/preview`), 200);

      const res = await call(acme, 'POST', path, undefined, 'agent', { 'if-match': `W/"${ticket.version}"` });
      const applied = ok(res, 200);
      expect(res.headers.get('etag')).toBe(`W/"${applied.ticket.version}"`);
      const { version: _v, updatedAt: _u, ...expected } = preview.ticket;
      expect(applied.ticket).toMatchObject(expected);
      expect(applied.macro).toEqual({ id: macro.id, name: 'Escalate', version: 2, usageCount: 1 });
      expect(applied.messages.map((m: { body: string; visibility: string }) => [m.visibility, m.body])).toEqual(preview.messages.map((m: { body: string; visibility: string }) => [m.visibility, m.body]));
      expect(applied.checklists[0].items.map((i: { text: string }) => i.text)).toEqual(['Check the pressure', 'Test the flue']);

      expect(await getTicket(ticket.id)).toMatchObject({ status: 'pending', priority: 'high', tags: ['vip'], groupId, assigneeId: acme.users.agent.userId, version: applied.ticket.version });
      // Messages of one apply share the transaction's timestamp: compared as a set.
      expect((await messagesOf(ticket.id)).map((m) => m.body).sort()).toEqual(['It knocks at night.', ...preview.messages.map((m: { body: string }) => m.body)].sort());
      const history = await historyOf(ticket.id);
      expect(history[0]).toMatchObject({ action: 'ticket.macro_applied', changes: { macro: { to: { id: macro.id, name: 'Escalate', version: 2 } } } });
      expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(['ticket.updated', 'ticket.message_added', 'ticket.checklist_added']));
      const audit = ok(await call(acme, 'GET', `/audit-logs?entityId=${ticket.id}`, undefined, 'owner'), 200);
      expect(audit.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['ticket.macro_applied', 'ticket.updated', 'ticket.message_added', 'ticket.checklist_added']));
      expect(ok(await call(acme, 'GET', `/macros/${macro.id}`), 200)).toMatchObject({ usageCount: 1, version: 2, lastUsedAt: expect.any(String) });
    });

    it('apply is all or nothing: one refused action leaves the ticket, its messages and the usage count as they were', async () => {
      const refused = await createMacro({ actions: [{ type: 'add_tags', tags: ['touched'] }, { type: 'add_reply', visibility: 'internal', body: 'Closing' }, { type: 'set_status', value: 'closed' }] });
      const ticket = await newTicket(acme);
      const res = problem(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${refused.id}/apply`, undefined, 'agent', { 'if-match': '*' }), 422, 'invalid-transition');
      expect(res.detail).toMatch(/solved/);
      expect(await getTicket(ticket.id)).toMatchObject({ tags: [], status: 'new', version: ticket.version });
      expect(await messagesOf(ticket.id)).toHaveLength(1);
      expect(ok(await call(acme, 'GET', `/macros/${refused.id}`), 200).usageCount).toBe(0);

      const off = ok(await call(acme, 'PATCH', `/macros/${refused.id}`, { active: false }, 'admin'), 200);
      expect(off.active).toBe(false);
      problem(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${refused.id}/preview`), 422, 'macro-inactive');
    });

    it('applies to many tickets at once, each on its own, with a result per ticket', async () => {
      const bulk = await createMacro({ actions: [{ type: 'add_tags', tags: ['bulk'] }, { type: 'add_reply', visibility: 'internal', body: 'Seen in bulk for #{{ticket.number}}' }] });
      const [one, two, closed] = [await newTicket(acme), await newTicket(acme), await newTicket(acme)];
      const solved = ok(await call(acme, 'PATCH', `/tickets/${closed.id}`, { status: 'solved' }, 'agent', { 'if-match': `W/"${closed.version}"` }), 200);
      ok(await call(acme, 'PATCH', `/tickets/${closed.id}`, { status: 'closed' }, 'agent', { 'if-match': `W/"${solved.version}"` }), 200);
      const foreign = await newTicket(globex);

      const res = ok(await call(acme, 'POST', `/macros/${bulk.id}/apply`, { ticketIds: [one.id, two.id, closed.id, foreign.id] }), 200);
      expect(res.data.map((r: { ticketId: string; status: number }) => [r.ticketId, r.status])).toEqual([
        [one.id, 200],
        [two.id, 200],
        [closed.id, 422],
        [foreign.id, 404],
      ]);
      expect(res.data[0].ticket.tags).toEqual(['bulk']);
      expect(res.data[2].problem.type).toBe('https://switchboard.dev/problems/ticket-closed');
      expect(res.data[3].problem.detail).toBe(`Ticket ${foreign.id} does not exist.`);
      expect((await messagesOf(two.id)).at(-1)!.body).toBe(`Seen in bulk for #${two.number}`);
      expect(await getTicket(closed.id)).toMatchObject({ tags: [], status: 'closed' });
      expect(ok(await call(acme, 'GET', `/macros/${bulk.id}`), 200).usageCount).toBe(2);

      const tooMany = Array.from({ length: 101 }, () => RANDOM_UUID);
      problem(await call(acme, 'POST', `/macros/${bulk.id}/apply`, { ticketIds: tooMany }), 400);
      problem(await call(acme, 'POST', `/macros/${bulk.id}/apply`, { ticketIds: ['not-a-uuid'] }), 400);
      problem(await call(acme, 'POST', `/macros/${RANDOM_UUID}/apply`, { ticketIds: [one.id] }), 404, 'not-found');
    });

    it('a macro whose group or checklist template was deleted is marked broken, refused naming the action, and fixed by editing it', async () => {
      const group = ok(await call(acme, 'POST', '/groups', { name: `Temporary ${unique()}` }, 'admin'), 201);
      const template = ok(await call(acme, 'POST', '/checklist-templates', { name: 'Old visit', items: ['One'] }, 'admin'), 201);
      const fragile = await createMacro({ actions: [{ type: 'set_priority', value: 'low' }, { type: 'set_group', value: group.id }, { type: 'add_checklist', templateId: template.id }] });
      ok(await call(acme, 'DELETE', `/checklist-templates/${template.id}`, undefined, 'admin'), 204);

      const marked = ok(await call(acme, 'GET', `/macros/${fragile.id}`), 200);
      expect(marked.broken).toMatchObject({ actionIndex: 2, actionType: 'add_checklist', reason: expect.stringContaining(template.id) });
      const ticket = await newTicket(acme);
      const previewed = problem(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${fragile.id}/preview`), 422, 'macro-broken');
      expect(previewed.detail).toContain('actions[2] (add_checklist)');
      expect(previewed.errors[0].field).toBe('actions[2]');
      problem(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${fragile.id}/apply`, undefined, 'agent', { 'if-match': '*' }), 422, 'macro-broken');
      problem(await call(acme, 'POST', `/macros/${fragile.id}/apply`, { ticketIds: [ticket.id] }), 422, 'macro-broken');
      expect(await getTicket(ticket.id)).toMatchObject({ priority: 'normal', version: ticket.version });

      const fixed = ok(await call(acme, 'PATCH', `/macros/${fragile.id}`, { actions: [{ type: 'set_priority', value: 'low' }, { type: 'set_group', value: group.id }, { type: 'add_checklist', templateId }] }, 'admin'), 200);
      expect(fixed.broken).toBeNull();
      ok(await call(acme, 'DELETE', `/groups/${group.id}`, undefined, 'admin'), 204);
      expect(ok(await call(acme, 'GET', '/macros?limit=100'), 200).data.find((m: { id: string }) => m.id === fragile.id).broken).toMatchObject({ actionIndex: 1, actionType: 'set_group' });
      problem(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${fragile.id}/apply`, undefined, 'agent', { 'if-match': '*' }), 422, 'macro-broken');
      ok(await call(acme, 'PATCH', `/macros/${fragile.id}`, { actions: [{ type: 'set_priority', value: 'low' }, { type: 'set_group', value: groupId }] }, 'admin'), 200);
      expect(ok(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${fragile.id}/apply`, undefined, 'agent', { 'if-match': '*' }), 200).ticket).toMatchObject({ priority: 'low', groupId });

      ok(await call(acme, 'DELETE', `/macros/${fragile.id}`, undefined, 'admin'), 204);
      problem(await call(acme, 'GET', `/macros/${fragile.id}`), 404, 'not-found');
    });

    it('sets custom field values, checked when saved; a deleted field marks the macro broken', async () => {
      const key = `tier_${unique()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
      const field = ok(await call(acme, 'POST', '/ticket-fields', { key, label: 'Tier', type: 'dropdown', options: [{ value: 'gold', label: 'Gold' }, { value: 'basic', label: 'Basic' }] }, 'admin'), 201);
      const wrong = problem(await call(acme, 'POST', '/macros', { name: `Bad tier ${unique()}`, actions: [{ type: 'set_custom_field', key, value: 'platinum' }] }, 'admin'), 422);
      expect(wrong.errors[0].field).toBe('actions[0]');
      problem(await call(acme, 'POST', '/macros', { name: `No key ${unique()}`, actions: [{ type: 'set_custom_field', value: 'gold' }] }, 'admin'), 400);
      const goldMacro = await createMacro({ actions: [{ type: 'set_custom_field', key, value: 'gold' }, { type: 'set_priority', value: 'high' }] });
      const ticket = await newTicket(acme);
      const preview = ok(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${goldMacro.id}/preview`), 200);
      expect(preview.ticket.fields).toMatchObject({ [key]: 'gold' });
      expect((await getTicket(ticket.id)).fields[key]).toBeUndefined();
      const applied = ok(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${goldMacro.id}/apply`, undefined, 'agent', { 'if-match': `W/"${ticket.version}"` }), 200);
      expect(applied.ticket).toMatchObject({ priority: 'high', fields: { [key]: 'gold' } });
      expect((await getTicket(ticket.id)).fields[key]).toBe('gold');

      ok(await call(acme, 'DELETE', `/ticket-fields/${field.id}`, undefined, 'admin'), 204);
      expect(ok(await call(acme, 'GET', `/macros/${goldMacro.id}`), 200).broken).toMatchObject({ actionIndex: 0, actionType: 'set_custom_field', reason: expect.stringContaining(key) });
      problem(await call(acme, 'POST', `/tickets/${ticket.id}/macros/${goldMacro.id}/apply`, undefined, 'agent', { 'if-match': '*' }), 422, 'macro-broken');
    });

    it('refuses hostile and malformed input without a 500', async () => {
      for (const body of [
        {},
        { name: 'x', actions: 'set_status' },
        { name: 'x', actions: [] },
        { name: 'x'.repeat(101), actions: [{ type: 'set_priority', value: 'low' }] },
        { name: 'x', actions: [{ type: 'set_priority', value: 'low' }], extra: true },
        { name: 'x', actions: [{ type: 'set_priority', value: 'low', sql: "'; DROP TABLE tickets; --" }] },
        { name: 'x', actions: [{ type: 'add_reply', visibility: 'public', body: 'y'.repeat(20_001) }] },
        { name: 'x', actions: [{ type: 'set_status', value: { $ne: null } }] },
        { name: 'x', actions: [null] },
      ]) {
        problem(await call(acme, 'POST', '/macros', body, 'admin'), 400);
      }
      problem(await call(acme, 'POST', '/macros', '{"name": "x", "actions": [', 'admin'), 400);
      problem(await call(acme, 'POST', '/macros', { name: 'x', actions: [{ type: 'add_reply', visibility: 'public', body: '{{#ticket}}{{/ticket}}' }] }, 'admin'), 422, 'unknown-placeholder');
      problem(await call(acme, 'GET', '/macros/not-a-uuid'), 400);
      problem(await call(acme, 'POST', `/tickets/${RANDOM_UUID}/macros/not-a-uuid/preview`), 400);
    });
  });

  describe('merge', () => {
    it('moves the conversation, participants, tags and history to the target; the source closes with a link both ways and its requester’s replies land in the target', async () => {
      const source = await newTicket(acme, { tags: ['duplicate', 'boiler'] });
      const target = await newTicket(acme, { tags: ['boiler', 'vip'] });
      ok(await call(acme, 'POST', `/tickets/${source.id}/messages`, { body: 'Any news?', author: 'requester' }), 201);
      ok(await call(acme, 'POST', `/tickets/${source.id}/messages`, { body: 'Same as the other one', visibility: 'internal' }), 201);
      ok(await call(acme, 'POST', `/tickets/${source.id}/participants`, { role: 'follower', participantId: acme.users.admin.userId }), 201);
      const sourceHistory = (await historyOf(source.id)).length;

      problem(await call(acme, 'POST', `/tickets/${source.id}/merge`, { targetId: target.id }, 'agent', { 'if-match': 'W/"99"' }), 412);
      const res = await call(acme, 'POST', `/tickets/${source.id}/merge`, { targetId: target.id }, 'agent', { 'if-match': `W/"${(await getTicket(source.id)).version}"` });
      const merged = ok(res, 200);
      expect(merged.source).toMatchObject({ id: source.id, status: 'closed', mergedIntoId: target.id, mergedFrom: [] });
      expect(merged.target).toMatchObject({ id: target.id, mergedIntoId: null, mergedFrom: [source.id], tags: ['boiler', 'duplicate', 'vip'] });
      expect(merged.moved).toEqual({ messages: 3, attachments: 0, participants: 2, history: sourceHistory });
      expect(res.headers.get('etag')).toBe(`W/"${merged.source.version}"`);

      expect((await messagesOf(target.id)).map((m) => m.body)).toEqual(['It knocks at night.', 'It knocks at night.', 'Any news?', 'Same as the other one']);
      expect(await messagesOf(source.id)).toEqual([]);
      const participants = ok(await call(acme, 'GET', `/tickets/${target.id}/participants`), 200).data.map((p: { role: string; participantId: string }) => [p.role, p.participantId]);
      expect(participants).toEqual(expect.arrayContaining([['follower', acme.users.admin.userId], ['cc', source.requesterId]]));
      const targetHistory = await historyOf(target.id);
      expect(targetHistory[0]).toMatchObject({ action: 'ticket.merged_from', changes: { mergedFrom: { from: [], to: [source.id] }, source: { to: { id: source.id, number: source.number } } } });
      expect(targetHistory.filter((h) => h.action === 'ticket.created')).toHaveLength(2);
      expect((await historyOf(source.id)).map((h) => h.action)).toEqual(['ticket.merged']);

      // The requester writes to the old ticket: it lands in the target. An agent is told where to reply.
      const reply = ok(await call(acme, 'POST', `/tickets/${source.id}/messages`, { body: 'Still knocking', author: 'requester' }), 201);
      expect(reply.ticketId).toBe(target.id);
      const agentReply = problem(await call(acme, 'POST', `/tickets/${source.id}/messages`, { body: 'On it' }), 422, 'ticket-closed');
      expect(agentReply.detail).toContain(target.id);

      const audit = ok(await call(acme, 'GET', `/audit-logs?entityId=${source.id}`, undefined, 'owner'), 200);
      expect(audit.data.map((e: { action: string }) => e.action)).toContain('ticket.merged');
    });

    it('refuses merging into itself, into a closed, merged or deleted ticket, and from a merged one', async () => {
      const [a, b, c] = [await newTicket(acme), await newTicket(acme), await newTicket(acme)];
      problem(await call(acme, 'POST', `/tickets/${a.id}/merge`, { targetId: a.id }), 422, 'merge-into-self');
      ok(await call(acme, 'POST', `/tickets/${a.id}/merge`, { targetId: b.id }), 200);
      problem(await call(acme, 'POST', `/tickets/${c.id}/merge`, { targetId: a.id }), 409, 'merge-target-merged');
      problem(await call(acme, 'POST', `/tickets/${a.id}/merge`, { targetId: c.id }), 409, 'ticket-merged');

      const solved = ok(await call(acme, 'PATCH', `/tickets/${c.id}`, { status: 'solved' }, 'agent', { 'if-match': '*' }), 200);
      ok(await call(acme, 'PATCH', `/tickets/${c.id}`, { status: 'closed' }, 'agent', { 'if-match': `W/"${solved.version}"` }), 200);
      problem(await call(acme, 'POST', `/tickets/${b.id}/merge`, { targetId: c.id }), 409, 'merge-target-closed');

      const doomed = await newTicket(acme);
      ok(await call(acme, 'DELETE', `/tickets/${doomed.id}`, undefined, 'owner'), 202);
      problem(await call(acme, 'POST', `/tickets/${b.id}/merge`, { targetId: doomed.id }), 409, 'merge-target-deleted');
      problem(await call(acme, 'POST', `/tickets/${b.id}/merge`, { targetId: RANDOM_UUID }), 404, 'not-found');
      problem(await call(acme, 'POST', `/tickets/${b.id}/merge`, { targetId: 'not-a-uuid' }), 400);
      problem(await call(acme, 'POST', `/tickets/${b.id}/merge`, { targetId: c.id, extra: 1 }), 400);
      problem(await call(acme, 'POST', `/tickets/${b.id}/merge`, { targetId: c.id }, 'viewer'), 403);
      expect(await getTicket(b.id)).toMatchObject({ status: 'new', mergedIntoId: null, mergedFrom: [a.id] });
    });

    it('two agents merging A→B and B→A at the same moment end with one surviving ticket and every message', async () => {
      for (let round = 0; round < 3; round++) {
        const [a, b] = [await newTicket(acme), await newTicket(acme)];
        ok(await call(acme, 'POST', `/tickets/${a.id}/messages`, { body: `A ${round}`, author: 'requester' }), 201);
        ok(await call(acme, 'POST', `/tickets/${b.id}/messages`, { body: `B ${round}`, author: 'requester' }), 201);
        const [ab, ba] = await Promise.all([call(acme, 'POST', `/tickets/${a.id}/merge`, { targetId: b.id }), call(acme, 'POST', `/tickets/${b.id}/merge`, { targetId: a.id }, 'admin')]);
        expect([ab.status, ba.status].sort()).toEqual([200, 409]);
        const winner = ab.status === 200 ? ab : ba;
        const loser = ab.status === 200 ? ba : ab;
        expect(loser.headers.get('content-type')).toMatch(PROBLEM);
        expect(['merge-target-merged', 'ticket-merged'].map((t) => `https://switchboard.dev/problems/${t}`)).toContain(loser.body.type);
        const survivor = await getTicket(winner.body.target.id);
        const gone = await getTicket(winner.body.source.id);
        expect(survivor).toMatchObject({ mergedIntoId: null, mergedFrom: [gone.id] });
        expect(gone).toMatchObject({ status: 'closed', mergedIntoId: survivor.id });
        expect((await messagesOf(survivor.id)).map((m) => m.body).sort()).toEqual([`A ${round}`, `B ${round}`, 'It knocks at night.', 'It knocks at night.'].sort());
        expect(await messagesOf(gone.id)).toEqual([]);
      }
    });
  });

  it('answers another tenant’s ids with 404, exactly like unknown ones', async () => {
    const macro = await createMacro({ actions: [{ type: 'set_priority', value: 'low' }] });
    const ticket = await newTicket(acme);
    const theirs = await newTicket(globex);
    const theirGroup = ok(await call(globex, 'POST', '/groups', { name: 'Theirs' }, 'admin'), 201);
    for (const res of [
      await call(globex, 'GET', `/macros/${macro.id}`),
      await call(globex, 'PATCH', `/macros/${macro.id}`, { name: 'Mine now' }, 'admin'),
      await call(globex, 'DELETE', `/macros/${macro.id}`, undefined, 'admin'),
      await call(globex, 'POST', `/macros/${macro.id}/apply`, { ticketIds: [theirs.id] }),
      await call(globex, 'POST', `/tickets/${theirs.id}/macros/${macro.id}/preview`),
      await call(globex, 'POST', `/tickets/${theirs.id}/macros/${macro.id}/apply`, undefined, 'agent', { 'if-match': '*' }),
      await call(globex, 'POST', `/tickets/${ticket.id}/merge`, { targetId: theirs.id }),
      await call(globex, 'POST', `/tickets/${theirs.id}/merge`, { targetId: ticket.id }),
      await call(acme, 'POST', `/tickets/${ticket.id}/merge`, { targetId: theirs.id }),
    ]) {
      expect(problem(res, 404, 'not-found').detail).toMatch(/does not exist/);
    }
    // Their group in our macro is no group at all.
    problem(await call(acme, 'POST', '/macros', { name: `x ${unique()}`, actions: [{ type: 'set_group', value: theirGroup.id }] }, 'admin'), 422, 'invalid-reference');
    expect(ok(await call(globex, 'GET', '/macros'), 200).data).toEqual([]);
    expect(await getTicket(ticket.id)).toMatchObject({ status: 'new', mergedIntoId: null, priority: 'normal' });
    expect(ok(await call(acme, 'GET', `/macros/${macro.id}`), 200)).toMatchObject({ name: macro.name, usageCount: 0 });
  });
});
