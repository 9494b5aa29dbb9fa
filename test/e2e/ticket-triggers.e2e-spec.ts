import { Client } from 'pg';
import { asTenantRole, RANDOM_UUID } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

type Role = 'owner' | 'admin' | 'agent' | 'viewer';

/** Triggers run with the update (same transaction), their dry run, and time-based automations run on demand — all through HTTP, no worker. */
describe('triggers and automations', () => {
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let db: Client;

  beforeAll(async () => {
    api = await startApi();
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
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
  const newTicket = async (tenant: TenantSession, body: Record<string, unknown> = {}) =>
    created(await call(tenant, 'POST', '/tickets', { subject: 'Printer on fire', requester: { email: 'pat@customer.example' }, ...body }, 'agent'));
  const patchTicket = async (id: string, body: Record<string, unknown>) => {
    const current = await call(acme, 'GET', `/tickets/${id}`, undefined, 'agent');
    const res = await call(acme, 'PATCH', `/tickets/${id}`, body, 'agent', { 'if-match': `W/"${current.body.version}"` });
    expect(res.status).toBe(200);
    return res.body;
  };
  const history = async (id: string) => (await call(acme, 'GET', `/tickets/${id}/history?limit=100`, undefined, 'agent')).body.data.reverse();
  const removeAll = async (kind: 'triggers' | 'automations') => {
    for (const r of (await call(acme, 'GET', `/${kind}`)).body.data) await call(acme, 'DELETE', `/${kind}/${r.id}`);
  };

  it('fires in order in the update’s transaction, as the system naming the rule and its version, and is loop-safe', async () => {
    await removeAll('triggers');
    const escalate = created(
      await call(acme, 'POST', '/triggers', {
        name: 'Escalate urgent',
        position: 1,
        conditions: { all: [{ type: 'changed', field: 'priority', to: 'urgent' }] },
        actions: [{ type: 'add_tags', tags: ['escalated'] }, { type: 'notify_webhook', topic: 'escalations' }],
      }),
    );
    const note = created(
      await call(acme, 'POST', '/triggers', {
        name: 'Note escalations',
        position: 2,
        conditions: { all: [{ type: 'tag_added', tag: 'escalated' }] },
        actions: [{ type: 'add_reply', visibility: 'internal', body: 'Escalated #{{ticket.number}} for {{ticket.requester.name}}' }, { type: 'set_type', value: 'incident' }],
      }),
    );
    // Undoes what the first does: each fires once per update, so the two cannot ping-pong.
    const untag = created(
      await call(acme, 'POST', '/triggers', { name: 'Untag', position: 3, conditions: { all: [{ type: 'tag_added', tag: 'escalated' }] }, actions: [{ type: 'remove_tags', tags: ['escalated'] }] }),
    );
    expect(escalate).toMatchObject({ version: 1, active: true });

    const ticket = await newTicket(acme);
    const after = await patchTicket(ticket.id, { priority: 'urgent' });
    expect(after).toMatchObject({ priority: 'urgent', type: 'incident', tags: [] });
    const entries = await history(ticket.id);
    const fired = entries.filter((e: { action: string }) => e.action === 'ticket.trigger_fired');
    expect(fired.map((e: any) => [e.changes.trigger.to.id, e.changes.trigger.to.version, e.changes.trigger.to.pass, e.actorType, e.actorId])).toEqual([
      [escalate.id, 1, 1, 'system', null],
      [note.id, 1, 2, 'system', null],
      [untag.id, 1, 2, 'system', null],
    ]);
    expect(fired[0].changes.trigger.to.webhooks).toEqual(['escalations']);
    const audit = await db.query(`SELECT actor_type, actor_id, changes FROM audit_logs WHERE tenant_id = $1 AND entity_id = $2 AND action = 'ticket.trigger_fired' `, [acme.tenant.id, ticket.id]);
    expect(audit.rows.map((r) => [r.actor_type, r.actor_id])).toEqual([['system', null], ['system', null], ['system', null]]);
    // One transaction: the entries share their instant, so compare them as a set.
    expect(audit.rows.map((r) => r.changes.ruleId.to).sort()).toEqual([escalate.id, note.id, untag.id].sort());
    const notes = (await call(acme, 'GET', `/tickets/${ticket.id}/messages`, undefined, 'agent')).body.data;
    expect(notes.map((m: { body: string; visibility: string }) => [m.visibility, m.body])).toContainEqual(['internal', `Escalated #${ticket.number} for pat`]);
    const webhook = await db.query(`SELECT payload FROM outbox WHERE tenant_id = $1 AND type = 'tickets.trigger_webhook' AND aggregate_id = $2`, [acme.tenant.id, ticket.id]);
    expect(webhook.rows.map((r) => r.payload)).toEqual([expect.objectContaining({ topic: 'escalations', rule: { kind: 'trigger', id: escalate.id, name: 'Escalate urgent', version: 1 } })]);

    // Reordered: the untagging rule first sees no tag added yet (its condition is on the update), so it does not fire in pass 1.
    const reordered = await call(acme, 'PUT', '/triggers/order', { ids: [untag.id, note.id, escalate.id] });
    expect(reordered.status).toBe(200);
    expect(reordered.body.data.map((r: { id: string; position: number }) => [r.id, r.position])).toEqual([
      [untag.id, 0],
      [note.id, 1],
      [escalate.id, 2],
    ]);
    expect((await call(acme, 'PUT', '/triggers/order', { ids: [untag.id, note.id] })).status).toBe(422);
  });

  it('skips a trigger whose group was deleted, recording why, and the agent’s change goes through', async () => {
    await removeAll('triggers');
    const group = created(await call(acme, 'POST', '/groups', { name: `Soon gone ${Date.now()}` }));
    const route = created(await call(acme, 'POST', '/triggers', { name: 'Route urgent', conditions: { all: [{ type: 'changed', field: 'priority', to: 'urgent' }] }, actions: [{ type: 'add_tags', tags: ['routed'] }, { type: 'set_group', value: group.id }] }));
    const tag = created(await call(acme, 'POST', '/triggers', { name: 'Tag urgent', position: 1, conditions: { all: [{ type: 'changed', field: 'priority', to: 'urgent' }] }, actions: [{ type: 'add_tags', tags: ['urgent'] }] }));
    expect((await call(acme, 'DELETE', `/groups/${group.id}`)).status).toBe(204);
    const ticket = await newTicket(acme);
    const after = await patchTicket(ticket.id, { priority: 'urgent' });
    // The failed firing left nothing (not even its tag); the next trigger still ran.
    expect(after).toMatchObject({ priority: 'urgent', groupId: null, tags: ['urgent'] });
    const entries = (await history(ticket.id)).filter((e: { action: string }) => e.action.startsWith('ticket.trigger_'));
    expect(entries.map((e: any) => [e.action, (e.changes.trigger.to as { id: string }).id])).toEqual([
      ['ticket.trigger_failed', route.id],
      ['ticket.trigger_fired', tag.id],
    ]);
    expect(entries[0].changes.trigger.to.error).toMatch(/group/i);
  });

  it('stops a chain at 5 passes and records where it stopped', async () => {
    await removeAll('triggers');
    const tags = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const ids: string[] = [];
    for (const [i, tag] of tags.entries()) {
      const conditions = i === 0 ? { all: [{ type: 'changed', field: 'status', to: 'pending' }] } : { all: [{ type: 'tag_added', tag: tags[i - 1] }] };
      ids.push(created(await call(acme, 'POST', '/triggers', { name: `Chain ${i}`, position: i, conditions, actions: [{ type: 'add_tags', tags: [tag] }] })).id);
    }
    const ticket = await newTicket(acme);
    const after = await patchTicket(ticket.id, { status: 'pending' });
    expect(after.tags).toEqual(['t1', 't2', 't3', 't4', 't5']);
    const capped = (await history(ticket.id)).filter((e: { action: string }) => e.action === 'ticket.triggers_capped');
    expect(capped.map((e: any) => e.changes.triggers.to)).toEqual([{ passes: 5, pending: [ids[5]] }]);
  });

  it('dry run: which rules would fire and what each would change, writing nothing', async () => {
    await removeAll('triggers');
    const saved = created(
      await call(acme, 'POST', '/triggers', { name: 'Reply to requester', conditions: { all: [{ type: 'message_added', by: 'requester', visibility: 'public' }] }, actions: [{ type: 'set_priority', value: 'high' }] }),
    );
    const ticket = await newTicket(acme);
    const counts = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM ticket_events WHERE tenant_id = $1 AND ticket_id = $2)::int AS history, (SELECT count(*) FROM outbox WHERE tenant_id = $1)::int AS outbox,
                  (SELECT count(*) FROM ticket_messages WHERE tenant_id = $1 AND ticket_id = $2)::int AS messages, (SELECT version FROM tickets WHERE tenant_id = $1 AND id = $2) AS version`,
          [acme.tenant.id, ticket.id],
        )
      ).rows[0];
    const before = await counts();
    const run = await call(acme, 'POST', '/triggers/dry-run', { ticketId: ticket.id, message: { body: 'Any news?', visibility: 'public', author: 'requester' } });
    expect(run.status).toBe(200);
    expect(run.body.firings).toEqual([expect.objectContaining({ triggerId: saved.id, version: 1, pass: 1, delta: { priority: { from: 'normal', to: 'high' } }, error: null })]);
    expect(run.body.ticket.priority).toBe('high');

    const unsaved = await call(acme, 'POST', '/triggers/dry-run', {
      ticketId: ticket.id,
      changes: { status: 'pending' },
      rules: [
        { name: 'Pending tag', conditions: { all: [{ type: 'changed', field: 'status', from: 'new', to: 'pending' }] }, actions: [{ type: 'add_tags', tags: ['waiting'] }] },
        { name: 'Reply on tag', conditions: { all: [{ type: 'tag_added', tag: 'waiting' }] }, actions: [{ type: 'add_localized_reply', visibility: 'public', bodies: { de: 'Wir warten auf Sie, {{ticket.requester.name}}.', en: 'We wait for you, {{ticket.requester.name}}.' }, fallback: 'en' }] },
      ],
    });
    expect(unsaved.status).toBe(200);
    expect(unsaved.body.firings.map((f: any) => [f.name, f.pass, f.version])).toEqual([
      ['Pending tag', 1, 0],
      ['Reply on tag', 2, 0],
    ]);
    expect(unsaved.body.firings[1].messages).toEqual([{ visibility: 'public', body: 'We wait for you, pat.' }]);
    expect(await counts()).toEqual(before);
    expect((await call(acme, 'GET', `/tickets/${ticket.id}`, undefined, 'agent')).body).toMatchObject({ status: 'new', priority: 'normal', tags: [] });
    expect((await call(acme, 'POST', '/triggers/dry-run', { ticketId: ticket.id, rules: [{ name: 'x', conditions: { all: [{ type: 'created' }] }, actions: [{ type: 'set_status', value: 'bogus' }] }] })).body.errors[0].field).toBe(
      'rules[0].actions[0].value',
    );
  });

  it('automations act once per ticket and state, capped per run and resumed', async () => {
    const close = created(
      await call(acme, 'POST', '/automations', {
        name: 'Close solved after 96 h',
        conditions: { all: [{ type: 'field', field: 'status', op: 'is', value: 'solved' }, { type: 'hours_since', since: 'status_changed', hours: 96 }] },
        actions: [{ type: 'set_status', value: 'closed' }],
      }),
    );
    const tickets = [];
    for (let i = 0; i < 3; i++) {
      const t = await newTicket(acme, { subject: `Old ${i}` });
      await patchTicket(t.id, { status: 'solved' });
      tickets.push(t);
    }
    const fresh = await newTicket(acme, { subject: 'Just solved' });
    await patchTicket(fresh.id, { status: 'solved' });
    // Solved 100 hours ago: the history (where the state began) and the ticket moved back in time.
    await db.query(`UPDATE ticket_events SET created_at = created_at - interval '100 hours' WHERE tenant_id = $1 AND ticket_id = ANY($2)`, [acme.tenant.id, tickets.map((t) => t.id)]);
    await db.query(`UPDATE tickets SET created_at = created_at - interval '100 hours' WHERE tenant_id = $1 AND id = ANY($2)`, [acme.tenant.id, tickets.map((t) => t.id)]);

    // At most 2 tickets examined per run: the runs resume at the cursor until the end is reached.
    const runs = [];
    for (let i = 0; i < 6; i++) {
      const run = await call(acme, 'POST', '/automations/run', { limit: 2 });
      expect(run.status).toBe(200);
      runs.push(run.body);
      if (!run.body.capped) break;
    }
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[0]).toMatchObject({ capped: true });
    expect(runs.every((r) => r.examined <= 2 && (r.acted[close.id] ?? []).length <= 2)).toBe(true);
    const acted = runs.flatMap((r) => r.acted[close.id] ?? []).sort();
    expect(acted).toEqual(tickets.map((t) => t.id).sort());
    const third = await call(acme, 'POST', '/automations/run', {});
    expect(third.body).toMatchObject({ acted: {}, capped: false });
    for (const t of tickets) {
      expect((await call(acme, 'GET', `/tickets/${t.id}`, undefined, 'agent')).body.status).toBe('closed');
      const fired = (await history(t.id)).filter((e: { action: string }) => e.action === 'ticket.automation_fired');
      expect(fired.map((e: any) => [e.changes.automation.to.id, e.changes.automation.to.version, e.actorType])).toEqual([[close.id, 1, 'system']]);
    }
    expect((await call(acme, 'GET', `/tickets/${fresh.id}`, undefined, 'agent')).body.status).toBe('solved');
    const recorded = await db.query(`SELECT count(*)::int AS n FROM automation_runs WHERE tenant_id = $1 AND automation_id = $2`, [acme.tenant.id, close.id]);
    expect(recorded.rows[0].n).toBe(3);
    // Globex's run sees none of Acme's automations.
    expect((await call(globex, 'POST', '/automations/run', {})).body).toEqual({ acted: {}, examined: 0, capped: false });
  });

  it('refuses hostile input with 422/400 naming the field, and answers another tenant’s ids with 404', async () => {
    const foreignGroup = created(await call(globex, 'POST', '/groups', { name: 'Globex team' }));
    for (const [path, body, status, field] of [
      ['/triggers', { name: 'A', conditions: { all: [{ type: 'field', field: 'status', op: 'is', value: 'open' }] }, actions: [{ type: 'add_tags', tags: ['a'] }] }, 422, 'conditions'],
      ['/triggers', { name: 'A', conditions: { all: [{ type: 'changed', field: 'password' }] }, actions: [{ type: 'add_tags', tags: ['a'] }] }, 422, 'conditions.all[0].field'],
      ['/triggers', { name: 'A', conditions: { all: [{ type: 'created' }], none: [] }, actions: [{ type: 'add_tags', tags: ['a'] }] }, 422, 'conditions.none'],
      ['/triggers', { name: 'A', conditions: { all: [{ type: 'created' }] }, actions: [{ type: 'set_group', value: foreignGroup.id }] }, 422, 'actions[0]'],
      ['/triggers', { name: 'A', conditions: { all: [{ type: 'created' }] }, actions: [{ type: 'add_reply', visibility: 'public', body: '{{ticket.secret}}' }] }, 422, 'actions[0].body'],
      ['/triggers', { name: 'A', conditions: { all: [{ type: 'created' }] }, actions: [{ type: 'run_sql', sql: 'DROP TABLE tickets' }] }, 422, 'actions[0].type'],
      ['/triggers', { name: 'A', conditions: { all: [{ type: 'created' }] }, actions: 'all' }, 400, 'actions'],
      ['/automations', { name: 'A', conditions: { all: [{ type: 'hours_since', since: 'created', hours: 1e9 }] }, actions: [{ type: 'add_tags', tags: ['a'] }] }, 422, 'conditions.all[0].hours'],
      ['/automations', { name: 'A', conditions: { all: [{ type: 'created' }] }, actions: [{ type: 'add_tags', tags: ['a'] }] }, 422, 'conditions.all[0].type'],
      ['/triggers/dry-run', { ticketId: 'not-a-uuid' }, 400, 'ticketId'],
    ] as const) {
      const res = await call(acme, 'POST', path, body);
      expect([path, JSON.stringify(body), res.status, res.body.errors?.map((e: { field: string }) => e.field)]).toEqual([path, JSON.stringify(body), status, expect.arrayContaining([field])]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect((await call(acme, 'POST', '/triggers', { name: 'Mine', conditions: { all: [{ type: 'created' }] }, actions: [{ type: 'add_tags', tags: ['a'] }] }, 'agent')).status).toBe(403);

    const trigger = created(await call(acme, 'POST', '/triggers', { name: 'Acme only', conditions: { all: [{ type: 'created' }] }, actions: [{ type: 'add_tags', tags: ['acme'] }] }));
    const automation = created(await call(acme, 'POST', '/automations', { name: 'Acme only', conditions: { all: [{ type: 'hours_since', since: 'created', hours: 5 }] }, actions: [{ type: 'add_tags', tags: ['old'] }] }));
    const ticket = await newTicket(acme);
    expect(ticket.tags).toEqual(['acme']);
    expect((await call(acme, 'PATCH', `/triggers/${trigger.id}`, { active: false }, 'admin', { 'if-match': 'W/"1"' })).body).toMatchObject({ active: false, version: 2 });
    expect((await call(acme, 'PATCH', `/triggers/${trigger.id}`, { active: true }, 'admin', { 'if-match': 'W/"1"' })).status).toBe(412);
    for (const [method, path, body] of [
      ['GET', `/triggers/${trigger.id}`, undefined],
      ['PATCH', `/triggers/${trigger.id}`, { name: 'Taken' }],
      ['DELETE', `/triggers/${trigger.id}`, undefined],
      ['GET', `/automations/${automation.id}`, undefined],
      ['PATCH', `/automations/${automation.id}`, { name: 'Taken' }],
      ['DELETE', `/automations/${automation.id}`, undefined],
      ['POST', '/triggers/dry-run', { ticketId: ticket.id, changes: { priority: 'high' } }],
      ['POST', '/triggers/dry-run', { ticketId: RANDOM_UUID }],
    ] as const) {
      expect([method, path, (await call(globex, method, path, body, 'owner')).status]).toEqual([method, path, 404]);
    }
    expect((await call(globex, 'PUT', '/triggers/order', { ids: [trigger.id] }, 'owner')).status).toBe(422);
    const seen = await asTenantRole(globex.tenant.id, async (c) =>
      (await c.query(`SELECT (SELECT count(*) FROM ticket_triggers WHERE tenant_id = $1) + (SELECT count(*) FROM ticket_automations WHERE tenant_id = $1) + (SELECT count(*) FROM automation_runs WHERE tenant_id = $1) AS n`, [acme.tenant.id])).rows[0].n,
    );
    expect(Number(seen)).toBe(0);
  });
});
