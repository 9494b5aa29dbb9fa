import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminHeaders, startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { readyAgent } from '../support/sockets';
import { STORAGE_DRIVERS, storageUnderTest, type StorageUnderTest } from '../support/storage-drivers';
import { createTenant, createTwoTenants, type TenantSession } from '../support/tenants';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Deleting data: a ticket (spam), a person (a data-protection request) and a tenant, across api, worker and every context, with each file store. */
describe.each(STORAGE_DRIVERS)('deleting data (%s storage)', (driver) => {
  let storage: StorageUnderTest;
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;
  let db: Client;

  beforeAll(async () => {
    storage = await storageUnderTest(driver);
    api = await startApi(storage.env);
    worker = await startWorker({ OUTBOX_POLL_MS: '50', ...storage.env });
    [acme, globex] = await createTwoTenants(api.url);
    db = new Client({ connectionString: process.env.E2E_DATABASE_URL });
    await db.connect();
  }, 120_000); // an api and a worker per store, started one store after the other
  afterAll(async () => {
    await db?.end();
    await worker?.stop();
    await api?.stop();
    await storage?.close();
  });

  type Role = 'owner' | 'admin' | 'agent' | 'viewer';
  const call = (tenant: TenantSession, role: Role, method: string, path: string, body?: unknown, extra?: Record<string, string>) =>
    fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers(role, extra), body: body === undefined ? undefined : JSON.stringify(body) });
  const ok = async (res: Response, status: number) => {
    const text = await res.text();
    if (res.status !== status) throw new Error(`${res.url} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const problem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    return res.json();
  };
  const upload = async (tenant: TenantSession, ticketId: string, filename: string) => {
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), filename);
    return ok(await fetch(`${api.url}/v1/tickets/${ticketId}/attachments`, { method: 'POST', headers: { authorization: tenant.headers('agent').authorization }, body: form }), 201);
  };
  const stored = (tenant: TenantSession, storageKey: string) => storage.has(tenant.tenant.id, storageKey);
  const storageKeyOf = async (attachmentId: string) => (await db.query<{ storage_key: string }>('SELECT storage_key FROM ticket_attachments WHERE id = $1', [attachmentId])).rows[0].storage_key;

  /** Every text, JSON, array and tsvector column of every table, as the owning role: where does `needle` still appear for this tenant? */
  async function findEverywhere(needle: string, tenantId: string): Promise<string[]> {
    const columns = await db.query<{ table_name: string; column_name: string; has_tenant: boolean }>(
      `SELECT c.table_name, c.column_name,
              EXISTS (SELECT 1 FROM information_schema.columns t WHERE t.table_schema = 'public' AND t.table_name = c.table_name AND t.column_name = 'tenant_id') AS has_tenant
         FROM information_schema.columns c JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'tsvector')`,
    );
    const hits: string[] = [];
    for (const { table_name, column_name, has_tenant } of columns.rows) {
      const where = has_tenant ? 'tenant_id = $2 AND ' : '';
      const params = has_tenant ? [`%${needle}%`, tenantId] : [`%${needle}%`];
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${table_name}" WHERE ${where}"${column_name}"::text ILIKE $1`, params);
      if (Number(rows[0].n) > 0) hits.push(`${table_name}.${column_name} (${rows[0].n})`);
    }
    return hits;
  }

  describe('deleting a ticket', () => {
    it('is for owners and admins; another tenant’s ticket is a 404; the ticket disappears at once and its content is purged, leaving a tombstone', async () => {
      const requester = await ok(await call(acme, 'agent', 'POST', '/contacts', { name: 'Spammer', emails: [`spam-${randomBytes(3).toString('hex')}@example.com`] }), 201);
      const fieldKey = `pills_${randomBytes(3).toString('hex')}`;
      await ok(await call(acme, 'admin', 'POST', '/ticket-fields', { key: fieldKey, label: 'Dosage', type: 'text' }), 201);
      const ticket = await ok(await call(acme, 'agent', 'POST', '/tickets', { subject: 'Cheap pills', requesterId: requester.id, description: 'buy now', fields: { [fieldKey]: 'a lot' } }), 201);
      for (const body of ['one', 'two', 'three']) await ok(await call(acme, 'agent', 'POST', `/tickets/${ticket.id}/messages`, { body }), 201);
      await ok(await call(acme, 'agent', 'POST', `/tickets/${ticket.id}/participants`, { role: 'follower', participantId: acme.users.agent.userId }), 201).catch(() => undefined);
      const attachment = await upload(acme, ticket.id, 'pills.png');
      const file = await storageKeyOf(attachment.id);
      expect(stored(acme, file)).toBe(true);

      await problem(await call(acme, 'agent', 'DELETE', `/tickets/${ticket.id}`), 403);
      await problem(await call(globex, 'admin', 'DELETE', `/tickets/${ticket.id}`), 404);
      await problem(await call(globex, 'admin', 'GET', `/tickets/${ticket.id}/deletion`), 404);
      await problem(await call(acme, 'admin', 'DELETE', '/tickets/not-a-uuid'), 400);

      const agentConsole = await readyAgent(api.url, acme.tokens.agent);
      const res = await call(acme, 'admin', 'DELETE', `/tickets/${ticket.id}`);
      const accepted = await ok(res, 202);
      // Consoles drop it live: the event says who and when, nothing of the content.
      const dropped = await agentConsole.next('ticket.deleted', (d) => d.ticketId === ticket.id);
      agentConsole.close();
      expect(dropped).toMatchObject({ ticketId: ticket.id, number: ticket.number, deletedBy: acme.users.admin.userId, deletedAt: accepted.deletedAt });
      expect(JSON.stringify(dropped)).not.toContain('Cheap pills');
      expect(res.headers.get('location')).toBe(`/v1/tickets/${ticket.id}/deletion`);
      expect(accepted).toMatchObject({ id: ticket.id, number: ticket.number, deletedBy: acme.users.admin.userId, purgedAt: null });
      await problem(await call(acme, 'agent', 'GET', `/tickets/${ticket.id}`), 404);
      await problem(await call(acme, 'admin', 'DELETE', `/tickets/${ticket.id}`), 404);
      const list = await ok(await call(acme, 'agent', 'GET', `/tickets?requesterId=${requester.id}`), 200);
      expect(list.data).toEqual([]);

      const done = await waitFor(async () => {
        const state = await ok(await call(acme, 'admin', 'GET', `/tickets/${ticket.id}/deletion`), 200);
        return state.purgedAt ? state : undefined;
      }, 'the ticket to be purged');
      expect(done).toMatchObject({ id: ticket.id, deletedBy: acme.users.admin.userId });
      const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM ${table} WHERE ticket_id = $1`, [ticket.id])).rows[0].n);
      expect(await count('ticket_messages')).toBe(0);
      expect(await count('ticket_attachments')).toBe(0);
      expect(await count('ticket_participants')).toBe(0);
      expect(await count('ticket_ai_suggestions')).toBe(0);
      expect(await count('ticket_field_values')).toBe(0);
      expect(stored(acme, file)).toBe(false);
      const history = await db.query('SELECT action, changes, actor_id FROM ticket_events WHERE ticket_id = $1', [ticket.id]);
      expect(history.rows).toEqual([{ action: 'ticket.deleted', changes: { deletedBy: { to: acme.users.admin.userId }, deletedAt: { to: accepted.deletedAt } }, actor_id: acme.users.admin.userId }]);
      const row = (await db.query('SELECT subject, tags FROM tickets WHERE id = $1', [ticket.id])).rows[0];
      expect(row).toEqual({ subject: 'Deleted ticket', tags: [] });
      const outbox = await db.query(`SELECT payload FROM outbox WHERE type = 'tickets.ticket_deleted' AND aggregate_id = $1`, [ticket.id]);
      expect(outbox.rows).toHaveLength(1);
      const audit = await db.query(`SELECT changes FROM audit_logs WHERE action = 'ticket.deleted' AND entity_id = $1`, [ticket.id]);
      expect(audit.rows).toHaveLength(1);
      expect(JSON.stringify(audit.rows[0])).not.toContain('Cheap pills');
    });
  });

  describe('erasing a contact', () => {
    it('removes their email, phone and name from every table of the tenant, keeps another tenant’s contact with the same email, and reports progress', async () => {
      const tag = randomBytes(3).toString('hex');
      const email = `ada.${tag}@home.example`;
      const phone = '+44 20 7946 0019';
      const e164 = '+442079460019';
      const name = `Ada Lovelace${tag}`;
      const contact = await ok(await call(acme, 'agent', 'POST', '/contacts', { name, emails: [email], phones: [phone], notes: `Prefers ${email}` }), 201);
      const theirs = await ok(await call(globex, 'agent', 'POST', '/contacts', { name, emails: [email] }), 201);
      const theirTicket = await ok(await call(globex, 'agent', 'POST', '/tickets', { subject: `Hello from ${email}`, requesterId: theirs.id, description: 'globex keeps this' }), 201);
      await ok(await call(acme, 'agent', 'PUT', `/contacts/${contact.id}/attributes/pets`, { value: `a dog; ask ${email}` }), 200);

      const ticket = await ok(await call(acme, 'agent', 'POST', '/tickets', { subject: `Refund for ${email}`, requesterId: contact.id, description: `My phone is ${phone}` }), 201);
      await ok(await call(acme, 'agent', 'POST', `/tickets/${ticket.id}/messages`, { body: `Hi ${name}, we will call ${e164}.` }), 201);
      await ok(await call(acme, 'agent', 'POST', `/tickets/${ticket.id}/messages`, { body: `It is me, ${name}.`, author: 'requester' }), 201);
      await ok(await call(acme, 'agent', 'PATCH', `/tickets/${ticket.id}`, { subject: `Refund for ${name} (${email})` }, { 'if-match': (await call(acme, 'agent', 'GET', `/tickets/${ticket.id}`)).headers.get('etag')! }), 200);
      const attachment = await upload(acme, ticket.id, 'receipt.png');
      const file = await storageKeyOf(attachment.id);
      expect(stored(acme, file)).toBe(true);
      const other = await ok(await call(acme, 'agent', 'POST', '/contacts', { name: 'Someone Else', emails: [`else.${tag}@example.com`] }), 201);
      const otherTicket = await ok(await call(acme, 'agent', 'POST', '/tickets', { subject: 'Unrelated', requesterId: other.id, description: `Ask ${email} about it` }), 201);

      const address = await ok(await call(acme, 'agent', 'POST', `/contacts/${contact.id}/addresses`, { label: 'Home', street: '1 Main St', city: 'Springfield', country: 'US' }), 201);
      const job = await ok(await call(acme, 'agent', 'POST', '/field-service/jobs', { contactId: contact.id, addressId: address.id, title: `Boiler for ${name}`, description: `Call ${phone} first` }), 201);
      await ok(await call(acme, 'agent', 'POST', `/field-service/jobs/${job.id}/notes`, { body: `Customer ${email} asked for a morning slot.` }), 201);
      expect(await findEverywhere(email, acme.tenant.id)).not.toEqual([]);

      // An access request first: everything stored about them, in one JSON download.
      await problem(await call(acme, 'agent', 'GET', `/contacts/${contact.id}/export`), 403);
      await problem(await call(globex, 'owner', 'GET', `/contacts/${contact.id}/export`), 404);
      const exported = await call(acme, 'admin', 'GET', `/contacts/${contact.id}/export`);
      expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="contact-${contact.id}.json"`);
      const data = await ok(exported, 200);
      expect(data.contact).toMatchObject({ id: contact.id, name, emails: [email], phones: [e164] });
      expect(data.addresses).toEqual([expect.objectContaining({ id: address.id, street: '1 Main St' })]);
      expect(data.attributes).toEqual([expect.objectContaining({ key: 'pets' })]);
      expect(data.tickets.tickets.map((t: { id: string }) => t.id)).toEqual([ticket.id]);
      expect(data.tickets.tickets[0].messages.map((m: { body: string }) => m.body)).toEqual([`My phone is ${phone}`, `Hi ${name}, we will call ${e164}.`, `It is me, ${name}.`]);
      expect(data.tickets.tickets[0].attachments).toEqual([expect.objectContaining({ id: attachment.id, filename: 'receipt.png' })]);
      expect(data.fieldService.jobs).toEqual([expect.objectContaining({ id: job.id, notes: [expect.objectContaining({ body: `Customer ${email} asked for a morning slot.` })] })]);
      expect(JSON.stringify(data)).not.toContain(other.id);

      await problem(await call(acme, 'agent', 'POST', `/contacts/${contact.id}/erase`), 403);
      await problem(await call(globex, 'owner', 'POST', `/contacts/${contact.id}/erase`), 404);
      await problem(await call(acme, 'owner', 'GET', `/contacts/${contact.id}/erasure`), 404);

      const res = await call(acme, 'owner', 'POST', `/contacts/${contact.id}/erase`);
      const erasure = await ok(res, 202);
      expect(res.headers.get('location')).toBe(`/v1/contacts/${contact.id}/erasure`);
      expect(erasure).toMatchObject({ contactId: contact.id, status: 'in_progress', requestedBy: acme.users.owner.userId });
      expect(erasure.steps.customers.counts).toMatchObject({ contacts: 1, identities: 2, addresses: 1 });
      // Asking again answers the same erasure.
      expect((await ok(await call(acme, 'admin', 'POST', `/contacts/${contact.id}/erase`), 202)).id).toBe(erasure.id);
      await problem(await call(acme, 'agent', 'GET', `/contacts/${contact.id}`), 404);
      const completed = await waitFor(async () => {
        const state = await ok(await call(acme, 'owner', 'GET', `/contacts/${contact.id}/erasure`), 200);
        return state.status === 'completed' ? state : undefined;
      }, 'the erasure to complete', 30_000);
      expect(Object.keys(completed.steps).sort()).toEqual(['customers', 'field_service', 'knowledge_base', 'platform', 'tickets']);
      expect(completed.steps.tickets.counts).toMatchObject({ messagesWrittenByContact: 2, attachments: 1 }) // the description and the reply;
      expect(completed.steps.platform.counts.outbox).toBeGreaterThan(0);
      expect(completed.steps.platform.counts.audit_logs).toBeGreaterThan(0);

      expect(await findEverywhere(email, acme.tenant.id)).toEqual([]);
      expect(await findEverywhere(e164, acme.tenant.id)).toEqual([]);
      expect(await findEverywhere(phone, acme.tenant.id)).toEqual([]);
      expect(await findEverywhere(name, acme.tenant.id)).toEqual([]);
      expect(stored(acme, file)).toBe(false);

      const messages = await ok(await call(acme, 'agent', 'GET', `/tickets/${ticket.id}/messages`), 200);
      const bodies = messages.data.map((m: { body: string }) => m.body);
      expect(bodies).toContain('[This message was erased at the customer’s request]');
      expect(bodies).toContain('Hi [erased], we will call [erased].');
      expect((await ok(await call(acme, 'agent', 'GET', `/tickets/${ticket.id}`), 200)).subject).toBe('Refund for [erased] ([erased])');
      expect((await ok(await call(acme, 'agent', 'GET', `/tickets/${otherTicket.id}/messages`), 200)).data[0].body).toBe('Ask [erased] about it');
      const erasedJob = await ok(await call(acme, 'agent', 'GET', `/field-service/jobs/${job.id}`), 200);
      expect(erasedJob).toMatchObject({ title: 'Boiler for [erased]', description: 'Call [erased] first' });
      const audit = await db.query(`SELECT changes FROM audit_logs WHERE action = 'contact.erased' AND entity_id = $1`, [contact.id]);
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0].changes.counts.to.tickets.messagesWrittenByContact).toBe(2);

      // Nothing is left to export.
      await problem(await call(acme, 'admin', 'GET', `/contacts/${contact.id}/export`), 404);

      // The email is free again: a new contact may take it (a new person, not the erased one).
      const found = await ok(await call(acme, 'agent', 'POST', '/contacts/find-or-create', { email }), 201);
      expect(found.contact.id).not.toBe(contact.id);

      // The other tenant's contact, with the same email, is untouched.
      expect((await ok(await call(globex, 'agent', 'GET', `/contacts/${theirs.id}`), 200)).emails).toEqual([email]);
      expect((await ok(await call(globex, 'agent', 'GET', `/tickets/${theirTicket.id}`), 200)).subject).toBe(`Hello from ${email}`);
      expect(await findEverywhere(email, globex.tenant.id)).not.toEqual([]);
    });
  });

  describe('purging a tenant', () => {
    it('deletes every file of the tenant from the store, and none of another tenant', async () => {
      const doomed = await createTenant(api.url, 'purged');
      const ticket = await ok(await call(doomed, 'agent', 'POST', '/tickets', { subject: 'Files to purge', requester: { email: 'p@example.com' } }), 201);
      for (const name of ['one.png', 'two.png']) await upload(doomed, ticket.id, name);
      const keep = await ok(await call(globex, 'agent', 'POST', '/tickets', { subject: 'Files to keep', requester: { email: 'k@example.com' } }), 201);
      const kept = await storageKeyOf((await upload(globex, keep.id, 'kept.png')).id);
      expect(storage.count(doomed.tenant.id)).toBe(2);

      expect((await fetch(`${api.url}/v1/admin/tenants/${doomed.tenant.id}`, { method: 'DELETE', headers: adminHeaders() })).status).toBe(202);
      await waitFor(async () => (await fetch(`${api.url}/v1/admin/tenants/${doomed.tenant.id}`, { headers: adminHeaders() })).status === 404, 'the purge to finish', 30_000);
      expect(storage.count(doomed.tenant.id)).toBe(0);
      expect(stored(globex, kept)).toBe(true);
    });
  });
});
