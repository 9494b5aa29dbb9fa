import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApi, type RunningApi } from '../support/processes';
import { createTenant, createTwoTenants, type TenantSession } from '../support/tenants';
import { bearer, client, expectProblem, expectStatus, PROBLEM, RANDOM_UUID, type HttpResult } from '../support/http';

type Role = keyof TenantSession['tokens'];

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  type: string;
  channel: string;
  requesterId: string;
  assigneeId: string | null;
  tags: string[];
  dueAt: string | null;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface Message {
  id: string;
  ticketId: string;
  visibility: 'public' | 'internal';
  authorType: 'agent' | 'contact';
  authorId: string;
  body: string;
  html: string | null;
  createdAt: string;
}

interface HistoryEntry {
  id: string;
  action: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  actorType: string;
  actorId: string | null;
  createdAt: string;
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const unique = () => randomBytes(4).toString('hex');

describe('tickets: create, read, update, messages, history and lists', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;
  let globex: TenantSession;
  /** A contact of each tenant, used as the default requester. */
  let acmeContact: { id: string; name: string };
  let globexContact: { id: string; name: string };

  beforeAll(async () => {
    api = await startApi();
    c = client(api.url);
    [acme, globex] = await createTwoTenants(api.url);
    acmeContact = expectStatus(await c.post('/v1/contacts', { name: 'Ada Requester', emails: [`ada.${unique()}@acme.example`] }, acme.headers('agent')), 201);
    globexContact = expectStatus(await c.post('/v1/contacts', { name: 'Globex Secret Customer', emails: [`secret.${unique()}@globex.example`] }, globex.headers('agent')), 201);
  });
  afterAll(async () => {
    await api?.stop();
  });

  const as = (t: TenantSession, role: Role, extra: Record<string, string> = {}) => t.headers(role, extra);
  const ifMatch = (t: TenantSession, role: Role, etag: string) => t.headers(role, { 'if-match': etag });

  /** Creates a ticket in acme (or `t`) as an agent, asserting 201. */
  const createTicket = async (body: Record<string, unknown> = {}, t: TenantSession = acme, role: Role = 'agent'): Promise<Ticket> => {
    const requester = t === acme ? acmeContact : globexContact;
    return expectStatus(await c.post('/v1/tickets', { subject: `Ticket ${unique()}`, requesterId: requester.id, ...body }, as(t, role)), 201);
  };

  const getTicket = async (id: string, t: TenantSession = acme): Promise<Ticket> => expectStatus(await c.get(`/v1/tickets/${id}`, as(t, 'agent')), 200);

  const patchTicket = (t: TenantSession, ticket: { id: string; version: number }, body: Record<string, unknown>, role: Role = 'agent') =>
    c.patch(`/v1/tickets/${ticket.id}`, body, ifMatch(t, role, `W/"${ticket.version}"`));

  const list = async (query: string, t: TenantSession = acme): Promise<Page<Ticket>> => expectStatus(await c.get(`/v1/tickets?${query}`, as(t, 'agent')), 200);

  const messagesOf = async (id: string, t: TenantSession = acme): Promise<Page<Message>> => expectStatus(await c.get(`/v1/tickets/${id}/messages`, as(t, 'agent')), 200);

  const historyOf = async (id: string, t: TenantSession = acme): Promise<Page<HistoryEntry>> => expectStatus(await c.get(`/v1/tickets/${id}/history`, as(t, 'agent')), 200);

  /** A 422 (or 400) problem whose detail or field errors name `field`. */
  const expectNamesField = (res: HttpResult, status: number, field: string) => {
    const problem = expectProblem(res, status);
    const fields: string[] = (problem.errors ?? []).map((e: { field: string }) => e.field);
    expect({ field, named: problem.detail.includes(field) || fields.some((f) => f === field || f.startsWith(`${field}.`)) }).toEqual({ field, named: true });
    return problem;
  };

  describe('creating', () => {
    it('creates a ticket with defaults, ETag and Location, and reads it back', async () => {
      const res = await c.post('/v1/tickets', { subject: 'Printer on fire', requesterId: acmeContact.id }, as(acme, 'agent'));
      const ticket: Ticket = expectStatus(res, 201);
      expect(ticket).toMatchObject({
        subject: 'Printer on fire',
        status: 'new',
        priority: 'normal',
        type: 'question',
        channel: 'api',
        requesterId: acmeContact.id,
        assigneeId: null,
        tags: [],
        dueAt: null,
        externalId: null,
        version: 1,
      });
      expect(ticket.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isInteger(ticket.number)).toBe(true);
      expect(Number.isNaN(Date.parse(ticket.createdAt))).toBe(false);
      expect(Number.isNaN(Date.parse(ticket.updatedAt))).toBe(false);
      expect(res.headers.get('etag')).toBe('W/"1"');
      expect(res.headers.get('location')).toBe(`/v1/tickets/${ticket.id}`);

      const read = await c.get(`/v1/tickets/${ticket.id}`, as(acme, 'viewer'));
      expect(expectStatus(read, 200)).toEqual(ticket);
      expect(read.headers.get('etag')).toBe('W/"1"');
    });

    it('stores every optional field and normalises tags', async () => {
      const dueAt = '2031-05-06T07:08:09.000Z';
      const ticket = await createTicket({
        subject: 'All the fields',
        priority: 'urgent',
        type: 'incident',
        channel: 'email',
        assigneeId: acme.users.admin.userId,
        tags: ['  Billing ', 'billing', 'VIP', 'a:b_c-d', 'vip'],
        dueAt,
        externalId: 'EXT-42',
      });
      expect(ticket).toMatchObject({ priority: 'urgent', type: 'incident', channel: 'email', assigneeId: acme.users.admin.userId, externalId: 'EXT-42' });
      expect([...ticket.tags].sort()).toEqual(['a:b_c-d', 'billing', 'vip']);
      expect(Date.parse(ticket.dueAt!)).toBe(Date.parse(dueAt));
      expect(await getTicket(ticket.id)).toEqual(ticket);
    });

    it('turns the description into the first public message, authored by the requester', async () => {
      const ticket = await createTicket({ description: 'It smells of smoke.\nPlease help.' });
      const messages = await messagesOf(ticket.id);
      expect(messages.data).toHaveLength(1);
      expect(messages.data[0]).toMatchObject({
        ticketId: ticket.id,
        visibility: 'public',
        authorType: 'contact',
        authorId: acmeContact.id,
        body: 'It smells of smoke.\nPlease help.',
      });
      expect(messages.nextCursor).toBeNull();
    });

    it('finds or creates the requester from an email', async () => {
      const email = `new.person.${unique()}@acme.example`;
      const first = await createTicket({ requesterId: undefined, requester: { email, name: 'New Person' } });
      expect(first.requesterId).toMatch(/^[0-9a-f-]{36}$/);
      const contact = expectStatus(await c.get(`/v1/contacts/${first.requesterId}`, as(acme, 'agent')), 200);
      expect(contact).toMatchObject({ name: 'New Person', emails: [email] });
      const second = await createTicket({ requesterId: undefined, requester: { email: email.toUpperCase() } });
      expect(second.requesterId).toBe(first.requesterId);
      const existingEmail = (expectStatus(await c.get(`/v1/contacts/${acmeContact.id}`, as(acme, 'agent')), 200) as { emails: string[] }).emails[0];
      const third = await createTicket({ requesterId: undefined, requester: { email: existingEmail } });
      expect(third.requesterId).toBe(acmeContact.id);
    });

    it('requires exactly one of requesterId and requester', async () => {
      const neither = await c.post('/v1/tickets', { subject: 'No requester' }, as(acme, 'agent'));
      expectProblem(neither, 400);
      const both = await c.post('/v1/tickets', { subject: 'Two requesters', requesterId: acmeContact.id, requester: { email: 'both@acme.example' } }, as(acme, 'agent'));
      expectProblem(both, 400);
    });

    it('refuses bad input with field errors and creates nothing', async () => {
      const before = await createTicket();
      const cases: [string, Record<string, unknown>][] = [
        ['subject', { subject: '' }],
        ['subject', { subject: 'x'.repeat(501) }],
        ['subject', { subject: 'x'.repeat(10_000) }],
        ['subject', { subject: undefined }],
        ['subject', { subject: 42 }],
        ['description', { description: 'x'.repeat(100_001) }],
        ['priority', { priority: 'critical' }],
        ['type', { type: 'bug' }],
        ['channel', { channel: 'pigeon' }],
        ['requesterId', { requesterId: 'not-a-uuid' }],
        ['requester.email', { requesterId: undefined, requester: { email: 'not-an-email' } }],
        ['requester', { requesterId: undefined, requester: { name: 'No email' } }],
        ['requester', { requesterId: undefined, requester: { email: 'mass@acme.example', tenantId: globex.tenant.id } }],
        ['assigneeId', { assigneeId: 'not-a-uuid' }],
        ['tags', { tags: ['has space'] }],
        ['tags', { tags: ['x'.repeat(51)] }],
        ['tags', { tags: [''] }],
        ['tags', { tags: ['semi;colon'] }],
        ['tags', { tags: 'billing' }],
        ['dueAt', { dueAt: 'next tuesday' }],
        ['externalId', { externalId: 'x'.repeat(201) }],
        ['tenantId', { tenantId: globex.tenant.id }],
        ['status', { status: 'open' }],
        ['number', { number: 1 }],
      ];
      for (const [field, patch] of cases) {
        const res = await c.post('/v1/tickets', { subject: 'Bad input', requesterId: acmeContact.id, ...patch }, as(acme, 'agent'));
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
        expect({ field, hasErrors: Array.isArray(res.body.errors) && res.body.errors.length > 0 }).toEqual({ field, hasErrors: true });
      }
      // Nothing was created: the next ticket takes the very next number.
      const after = await createTicket();
      expect(after.number).toBe(before.number + 1);
      expect((await list('q=Bad%20input')).data).toHaveLength(0);
    });

    it('accepts values exactly at their limits', async () => {
      const ticket = await createTicket({
        subject: 's'.repeat(500),
        description: 'd'.repeat(100_000),
        tags: ['t'.repeat(50), 'A-b_c:9'],
        externalId: 'e'.repeat(200),
      });
      expect(ticket.subject).toHaveLength(500);
      expect([...ticket.tags].sort()).toEqual(['a-b_c:9', 't'.repeat(50)]);
      expect(ticket.externalId).toHaveLength(200);
      expect((await messagesOf(ticket.id)).data[0].body).toHaveLength(100_000);
      const reply = await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'm'.repeat(100_000) }, as(acme, 'agent'));
      expect(reply.status).toBe(201);
    });

    it('keeps the instant of a due date given with a time-zone offset', async () => {
      const ticket = await createTicket({ dueAt: '2030-06-01T10:00:00+02:00' });
      expect(Date.parse(ticket.dueAt!)).toBe(Date.parse('2030-06-01T08:00:00Z'));
    });

    it('creates one contact when several tickets name the same new requester email at once', async () => {
      const email = `burst.${unique()}@acme.example`;
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => c.post('/v1/tickets', { subject: `Burst ${i}`, requester: { email, name: 'Burst' } }, as(acme, 'agent'))),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.body.requesterId)).size).toBe(1);
      const contacts = expectStatus(await c.get(`/v1/contacts?q=${encodeURIComponent(email)}`, as(acme, 'agent')), 200);
      expect(contacts.data).toHaveLength(1);
    });

    it('keeps emoji, right-to-left text and SQL metacharacters as plain data', async () => {
      const subject = `مرحبا 👋🏽 O'Brien; DROP TABLE tickets; -- %_ ${unique()}`;
      const ticket = await createTicket({ subject });
      expect(ticket.subject).toBe(subject);
      expect((await getTicket(ticket.id)).subject).toBe(subject);
      const found = await list(`q=${encodeURIComponent("O'Brien")}`);
      expect(found.data.map((t) => t.id)).toContain(ticket.id);
    });

    it('numbers tickets per tenant from 1001, consecutively even under concurrency', async () => {
      const [one, two] = await Promise.all([createTenant(api.url, 'initech'), createTenant(api.url, 'umbrella')]);
      const requesterFor = async (t: TenantSession) =>
        (expectStatus(await c.post('/v1/contacts', { name: 'Numbered', emails: [`n.${unique()}@example.com`] }, as(t, 'agent')), 201) as { id: string }).id;
      const [r1, r2] = [await requesterFor(one), await requesterFor(two)];
      const create = async (t: TenantSession, requesterId: string): Promise<Ticket> =>
        expectStatus(await c.post('/v1/tickets', { subject: `Numbered ${unique()}`, requesterId }, as(t, 'agent')), 201);

      expect((await create(one, r1)).number).toBe(1001);
      expect((await create(one, r1)).number).toBe(1002);
      const parallel = await Promise.all(Array.from({ length: 10 }, () => create(one, r1)));
      expect(parallel.map((t) => t.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 1003 + i));
      expect((await create(one, r1)).number).toBe(1013);

      // The other tenant has its own sequence.
      expect((await create(two, r2)).number).toBe(1001);
      const parallelTwo = await Promise.all(Array.from({ length: 5 }, () => create(two, r2)));
      expect(parallelTwo.map((t) => t.number).sort((a, b) => a - b)).toEqual([1002, 1003, 1004, 1005, 1006]);
    });

    it('rejects an assignee who may not work tickets or belongs to another tenant', async () => {
      for (const assigneeId of [acme.users.viewer.userId, acme.users.technician.userId, globex.users.agent.userId, RANDOM_UUID]) {
        const res = await c.post('/v1/tickets', { subject: 'Bad assignee', requesterId: acmeContact.id, assigneeId }, as(acme, 'agent'));
        expectNamesField(res, 422, 'assigneeId');
      }
      for (const role of ['owner', 'admin', 'agent'] as const) {
        expect((await createTicket({ assigneeId: acme.users[role].userId })).assigneeId).toBe(acme.users[role].userId);
      }
    });

    it('does not use up a number on a refused create', async () => {
      const before = await createTicket();
      expect((await c.post('/v1/tickets', { subject: 'Refused', requesterId: acmeContact.id, assigneeId: acme.users.viewer.userId }, as(acme, 'agent'))).status).toBe(422);
      expect((await c.post('/v1/tickets', { subject: 'Refused', requesterId: globexContact.id }, as(acme, 'agent'))).status).toBe(422);
      expect((await c.post('/v1/tickets', { subject: 'Refused', requesterId: acmeContact.id }, as(acme, 'viewer'))).status).toBe(403);
      expect((await createTicket()).number).toBe(before.number + 1);
    });

    it("rejects another tenant's contact as requester with 422 and leaks nothing", async () => {
      const res = await c.post('/v1/tickets', { subject: 'Foreign requester', requesterId: globexContact.id }, as(acme, 'agent'));
      expectNamesField(res, 422, 'requesterId');
      expect(res.text).not.toContain(globexContact.name);
      const missing = await c.post('/v1/tickets', { subject: 'Missing requester', requesterId: RANDOM_UUID }, as(acme, 'agent'));
      expect(missing.status).toBe(422);
      // Same answer for "exists elsewhere" and "does not exist".
      expect(missing.body.detail.replace(RANDOM_UUID, '')).toBe(res.body.detail.replace(globexContact.id, ''));
    });
  });

  describe('permissions', () => {
    it('lets owners, admins and agents write; viewers and technicians only read', async () => {
      for (const role of ['owner', 'admin', 'agent'] as const) {
        const res = await c.post('/v1/tickets', { subject: `By ${role}`, requesterId: acmeContact.id }, as(acme, role));
        expect({ role, status: res.status }).toEqual({ role, status: 201 });
      }
      const ticket = await createTicket();
      for (const role of ['viewer', 'technician'] as const) {
        const create = await c.post('/v1/tickets', { subject: `By ${role}`, requesterId: acmeContact.id }, as(acme, role));
        expect({ role, op: 'create', status: create.status }).toEqual({ role, op: 'create', status: 403 });
        const patch = await patchTicket(acme, ticket, { subject: 'Nope' }, role);
        expect({ role, op: 'patch', status: patch.status }).toEqual({ role, op: 'patch', status: 403 });
        const message = await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Nope' }, as(acme, role));
        expect({ role, op: 'message', status: message.status }).toEqual({ role, op: 'message', status: 403 });
      }
      for (const path of [`/v1/tickets/${ticket.id}`, `/v1/tickets/${ticket.id}/messages`, `/v1/tickets/${ticket.id}/history`, '/v1/tickets']) {
        const res = await c.get(path, as(acme, 'viewer'));
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
      }
      const unchanged = await getTicket(ticket.id);
      expect(unchanged).toMatchObject({ subject: ticket.subject, version: 1 });
      expect((await messagesOf(ticket.id)).data).toHaveLength(0);
    });

    it('lets a read-only API key list and read but not create; a full key creates', async () => {
      const ticket = await createTicket();
      const readOnly = bearer(acme.apiKeys.readOnly, { 'content-type': 'application/json' });
      expect((await c.get('/v1/tickets', readOnly)).status).toBe(200);
      expect((await c.get(`/v1/tickets/${ticket.id}`, readOnly)).status).toBe(200);
      expect((await c.post('/v1/tickets', { subject: 'Via read-only key', requesterId: acmeContact.id }, readOnly)).status).toBe(403);
      expect((await c.patch(`/v1/tickets/${ticket.id}`, { subject: 'Via read-only key' }, { ...readOnly, 'if-match': 'W/"1"' })).status).toBe(403);
      expect((await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Via read-only key' }, readOnly)).status).toBe(403);
      const full = bearer(acme.apiKeys.full, { 'content-type': 'application/json' });
      const created = await c.post('/v1/tickets', { subject: 'Via full key', requesterId: acmeContact.id }, full);
      expect(created.status).toBe(201);
      expect((await c.get('/v1/tickets', bearer('not-a-token'))).status).toBe(401);
    });
  });

  describe('updating', () => {
    it('requires If-Match: missing → 428, stale → 412 and nothing changes, current → 200 with the next ETag', async () => {
      const ticket = await createTicket({ subject: 'Versioned' });
      const missing = await c.patch(`/v1/tickets/${ticket.id}`, { subject: 'No precondition' }, as(acme, 'agent'));
      expectProblem(missing, 428);
      const ok = await patchTicket(acme, ticket, { subject: 'Versioned 2', priority: 'high' });
      expect(expectStatus(ok, 200)).toMatchObject({ id: ticket.id, subject: 'Versioned 2', priority: 'high', version: 2, number: ticket.number });
      expect(ok.headers.get('etag')).toBe('W/"2"');
      expect(Date.parse(ok.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(ticket.updatedAt));
      const stale = await patchTicket(acme, ticket, { subject: 'Lost update' });
      expectProblem(stale, 412);
      const now = await c.get(`/v1/tickets/${ticket.id}`, as(acme, 'agent'));
      expect(now.body).toMatchObject({ subject: 'Versioned 2', version: 2 });
      expect(now.headers.get('etag')).toBe('W/"2"');
      // If-Match: * is a deliberate "any current version" (RFC 9110), not a missing precondition.
      const any = await c.patch(`/v1/tickets/${ticket.id}`, { subject: 'Versioned 3' }, as(acme, 'agent', { 'if-match': '*' }));
      expect(expectStatus(any, 200)).toMatchObject({ subject: 'Versioned 3', version: 3 });
      expect(any.headers.get('etag')).toBe('W/"3"');
    });

    it('runs concurrent updates with the same ETag so that exactly one wins', async () => {
      const ticket = await createTicket({ subject: 'Race' });
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => patchTicket(acme, ticket, { subject: `Race ${i}` })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
      const winner = results.find((r) => r.status === 200)!;
      expect(await getTicket(ticket.id)).toMatchObject({ subject: winner.body.subject, version: 2 });
    });

    it('updates every patchable field; null unassigns and clears the due date; tags are replaced', async () => {
      const ticket = await createTicket({ tags: ['old', 'keep'], assigneeId: acme.users.agent.userId, dueAt: '2030-01-01T00:00:00.000Z' });
      const res = await patchTicket(acme, ticket, {
        subject: 'Patched',
        status: 'pending',
        priority: 'low',
        type: 'task',
        assigneeId: acme.users.owner.userId,
        tags: ['Keep', 'NEW'],
        dueAt: '2032-02-03T04:05:06.000Z',
        externalId: 'ext-1',
      });
      const patched: Ticket = expectStatus(res, 200);
      expect(patched).toMatchObject({ subject: 'Patched', status: 'pending', priority: 'low', type: 'task', assigneeId: acme.users.owner.userId, externalId: 'ext-1', version: 2 });
      expect([...patched.tags].sort()).toEqual(['keep', 'new']);
      expect(Date.parse(patched.dueAt!)).toBe(Date.parse('2032-02-03T04:05:06.000Z'));
      const cleared: Ticket = expectStatus(await patchTicket(acme, patched, { assigneeId: null, dueAt: null }), 200);
      expect(cleared).toMatchObject({ assigneeId: null, dueAt: null, version: 3, subject: 'Patched' });
      expect(await getTicket(ticket.id)).toEqual(cleared);
    });

    it('refuses bad patch bodies with 400 and changes nothing', async () => {
      const ticket = await createTicket({ subject: 'Patch validation' });
      const cases: Record<string, unknown>[] = [
        { subject: '' },
        { subject: 'x'.repeat(501) },
        { status: 'reopened' },
        { priority: 'meh' },
        { type: 'bug' },
        { tags: ['bad tag!'] },
        { dueAt: 'soon' },
        { externalId: 'x'.repeat(201) },
        { number: 7 },
        { requesterId: RANDOM_UUID, bogus: true },
        { version: 99 },
      ];
      for (const body of cases) {
        const res = await patchTicket(acme, ticket, body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expect(await getTicket(ticket.id)).toEqual(ticket);
    });

    it('refuses assignees who are viewers, technicians or in another tenant', async () => {
      const ticket = await createTicket();
      for (const assigneeId of [acme.users.viewer.userId, acme.users.technician.userId, globex.users.agent.userId, globex.users.owner.userId]) {
        expectNamesField(await patchTicket(acme, ticket, { assigneeId }), 422, 'assigneeId');
      }
      const current = await getTicket(ticket.id);
      expect(current).toMatchObject({ assigneeId: null, version: 1 });
      expect(expectStatus(await patchTicket(acme, current, { assigneeId: acme.users.agent.userId }), 200).assigneeId).toBe(acme.users.agent.userId);
    });

    it('enforces status transitions: nothing back to new, closed only from solved, nothing leaves closed', async () => {
      let ticket = await createTicket();
      const step = async (status: string) => {
        const res = await patchTicket(acme, ticket, { status });
        ticket = expectStatus(res, 200);
        expect(ticket.status).toBe(status);
      };
      const refused = async (status: string) => {
        const res = await patchTicket(acme, ticket, { status });
        expectProblem(res, 422, 'invalid-transition');
        expect(await getTicket(ticket.id)).toEqual(ticket);
      };
      await refused('closed'); // new → closed
      await step('open');
      await refused('new');
      await refused('closed'); // open → closed
      await step('pending');
      await refused('new');
      await refused('closed');
      await step('on_hold');
      await refused('new');
      await refused('closed');
      await step('solved');
      await refused('new');
      await step('closed');
      for (const status of ['new', 'open', 'pending', 'on_hold', 'solved']) await refused(status);
      // Other fields of a closed ticket are not the point here; its status is final.
      expect((await getTicket(ticket.id)).status).toBe('closed');
    });
  });

  describe('messages', () => {
    it('adds public replies and internal notes, listed oldest first, with author details', async () => {
      const ticket = await createTicket({ description: 'First words' });
      const reply = await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'We are on it.' }, as(acme, 'agent'));
      const replyMsg: Message = expectStatus(reply, 201);
      expect(replyMsg).toMatchObject({ ticketId: ticket.id, visibility: 'public', authorType: 'agent', authorId: acme.users.agent.userId, body: 'We are on it.' });
      expect(replyMsg.html ?? null).toBeNull();
      const note: Message = expectStatus(
        await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Customer sounds upset', visibility: 'internal' }, as(acme, 'admin')),
        201,
      );
      expect(note).toMatchObject({ visibility: 'internal', authorType: 'agent', authorId: acme.users.admin.userId });
      const fromRequester: Message = expectStatus(
        await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Thanks! 🙏 شكرا', author: 'requester' }, as(acme, 'agent')),
        201,
      );
      expect(fromRequester).toMatchObject({ visibility: 'public', authorType: 'contact', authorId: acmeContact.id, body: 'Thanks! 🙏 شكرا' });
      const page = await messagesOf(ticket.id);
      expect(page.data.map((m) => m.body)).toEqual(['First words', 'We are on it.', 'Customer sounds upset', 'Thanks! 🙏 شكرا']);
      expect(page.data[1]).toEqual(replyMsg);
    });

    it('refuses bad message bodies', async () => {
      const ticket = await createTicket();
      for (const body of [
        {},
        { body: '' },
        { body: 'x'.repeat(100_001) },
        { body: 'ok', visibility: 'secret' },
        { body: 'ok', author: 'robot' },
        { body: 'ok', authorId: acme.users.owner.userId },
        { body: 42 },
      ]) {
        const res = await c.post(`/v1/tickets/${ticket.id}/messages`, body, as(acme, 'agent'));
        expect({ body: JSON.stringify(body).slice(0, 80), status: res.status }).toEqual({ body: JSON.stringify(body).slice(0, 80), status: 400 });
      }
      expect((await messagesOf(ticket.id)).data).toHaveLength(0);
      expect((await c.post(`/v1/tickets/${RANDOM_UUID}/messages`, { body: 'Nobody home' }, as(acme, 'agent'))).status).toBe(404);
    });

    it('stores html sanitised: no scripts, no event handlers, no javascript: links', async () => {
      const ticket = await createTicket();
      const html =
        '<p onclick="steal()">Hello <b>there</b><script>alert(1)</script>' +
        '<a href="javascript:alert(2)">click</a> <a href="https://example.com/help">help</a>' +
        '<img src="x" onerror="alert(3)"><SCRIPT SRC=//evil.example/x.js></SCRIPT></p>';
      const res = await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Hello there', html }, as(acme, 'agent'));
      const message: Message = expectStatus(res, 201);
      const stored = (await messagesOf(ticket.id)).data.find((m) => m.id === message.id)!;
      for (const out of [message.html!, stored.html!]) {
        expect(out).toContain('Hello');
        expect(out).toContain('there');
        expect(out).toContain('https://example.com/help');
        expect(out).not.toMatch(/<script/i);
        expect(out).not.toMatch(/alert\(1\)/);
        expect(out).not.toMatch(/\son[a-z]+\s*=/i);
        expect(out).not.toMatch(/javascript:/i);
        expect(out).not.toMatch(/evil\.example/);
      }
      expect(stored.body).toBe('Hello there');
    });

    it("moves a new ticket to open on an agent's public reply, but not on an internal note", async () => {
      const ticket = await createTicket();
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'note', visibility: 'internal' }, as(acme, 'agent')), 201);
      expect((await getTicket(ticket.id)).status).toBe('new');
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Hello, looking into it' }, as(acme, 'agent')), 201);
      const after = await getTicket(ticket.id);
      expect(after.status).toBe('open');
      expect(after.version).toBeGreaterThan(1);
    });

    it('accepts concurrent public replies on a new ticket: all stored, ticket open once', async () => {
      const ticket = await createTicket();
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => c.post(`/v1/tickets/${ticket.id}/messages`, { body: `Reply ${i}` }, as(acme, 'agent'))));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect((await messagesOf(ticket.id)).data).toHaveLength(5);
      expect((await getTicket(ticket.id)).status).toBe('open');
      const history = (await historyOf(ticket.id)).data;
      expect(history.filter((e) => e.changes?.status?.from === 'new' && e.changes.status.to === 'open')).toHaveLength(1);
      expect(history.filter((e) => e.action === 'ticket.message_added')).toHaveLength(5);
    });

    it('reopens a solved ticket when the requester writes publicly', async () => {
      let ticket = await createTicket();
      ticket = expectStatus(await patchTicket(acme, ticket, { status: 'open' }), 200);
      ticket = expectStatus(await patchTicket(acme, ticket, { status: 'solved' }), 200);
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Thanks, agent here', visibility: 'internal' }, as(acme, 'agent')), 201);
      expect((await getTicket(ticket.id)).status).toBe('solved');
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'It broke again!', author: 'requester' }, as(acme, 'agent')), 201);
      const reopened = await getTicket(ticket.id);
      expect(reopened.status).toBe('open');
      expect(reopened.version).toBeGreaterThan(ticket.version);
    });
    it('keeps a closed ticket closed when the requester writes again', async () => {
      let ticket = await createTicket();
      for (const status of ['open', 'solved', 'closed']) ticket = expectStatus(await patchTicket(acme, ticket, { status }), 200);
      const res = await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Hello again?', author: 'requester' }, as(acme, 'agent'));
      expect([201, 422]).toContain(res.status);
      expect((await getTicket(ticket.id)).status).toBe('closed');
    });
  });

  describe('history and audit', () => {
    it('records creation, every field change with from/to and messages, newest first', async () => {
      let ticket = await createTicket({ subject: 'History lesson', priority: 'low' });
      ticket = expectStatus(await patchTicket(acme, ticket, { priority: 'high', assigneeId: acme.users.agent.userId }), 200);
      ticket = expectStatus(await patchTicket(acme, ticket, { status: 'pending', tags: ['history'] }), 200);
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Logged', visibility: 'internal' }, as(acme, 'admin')), 201);

      const history = await historyOf(ticket.id);
      const actions = history.data.map((e) => e.action);
      expect(actions[0]).toBe('ticket.message_added');
      expect(actions[actions.length - 1]).toBe('ticket.created');
      expect(actions.filter((a) => a === 'ticket.updated')).toHaveLength(2);
      const updates = history.data.filter((e) => e.action === 'ticket.updated');
      // Newest first: the status change precedes the priority change.
      expect(updates[0].changes).toMatchObject({ status: { from: 'new', to: 'pending' }, tags: { from: [], to: ['history'] } });
      expect(updates[1].changes).toMatchObject({ priority: { from: 'low', to: 'high' }, assigneeId: { from: null, to: acme.users.agent.userId } });
      expect(updates[0]).toMatchObject({ actorType: 'user', actorId: acme.users.agent.userId });
      expect(history.data[0]).toMatchObject({ actorType: 'user', actorId: acme.users.admin.userId });
      const times = history.data.map((e) => Date.parse(e.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(new Set(history.data.map((e) => e.id)).size).toBe(history.data.length);
    });

    it('records the automatic status change of a reply in the history', async () => {
      const ticket = await createTicket();
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Auto-open' }, as(acme, 'agent')), 201);
      const history = await historyOf(ticket.id);
      expect(history.data.some((e) => e.changes?.status && e.changes.status.from === 'new' && e.changes.status.to === 'open')).toBe(true);
      expect(history.data.map((e) => e.action)).toContain('ticket.message_added');
    });

    it('writes every ticket mutation to the audit log', async () => {
      let ticket = await createTicket({ subject: 'Audited' });
      ticket = expectStatus(await patchTicket(acme, ticket, { subject: 'Audited 2' }), 200);
      expectStatus(await c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'Audited message', visibility: 'internal' }, as(acme, 'agent')), 201);
      for (const role of ['owner', 'admin'] as const) {
        const audit = expectStatus(await c.get(`/v1/audit-logs?entityType=ticket&entityId=${ticket.id}`, as(acme, role)), 200);
        const actions: string[] = audit.data.map((e: { action: string }) => e.action);
        expect(actions).toContain('ticket.created');
        expect(actions).toContain('ticket.updated');
        expect(actions.length).toBeGreaterThanOrEqual(3);
        const update = audit.data.find((e: { action: string }) => e.action === 'ticket.updated');
        expect(update.changes).toMatchObject({ subject: { from: 'Audited', to: 'Audited 2' } });
        expect(update).toMatchObject({ entityType: 'ticket', entityId: ticket.id, actorId: acme.users.agent.userId });
      }
      expect((await c.get(`/v1/audit-logs?entityType=ticket&entityId=${ticket.id}`, as(globex, 'owner'))).body.data ?? []).toHaveLength(0);
    });
  });

  describe('tenant isolation', () => {
    it("answers 404 on every id route with another tenant's credential, and changes nothing", async () => {
      const ticket = await createTicket({ subject: 'Acme secret ticket', description: 'Acme secret description' });
      const historyBefore = await historyOf(ticket.id);
      const globexFull = bearer(globex.apiKeys.full, { 'content-type': 'application/json' });
      for (const headers of [globex.headers('owner', { 'if-match': 'W/"1"' }), globex.headers('agent', { 'if-match': 'W/"1"' }), { ...globexFull, 'if-match': 'W/"1"' }]) {
        for (const [method, path, body] of [
          ['GET', `/v1/tickets/${ticket.id}`, undefined],
          ['PATCH', `/v1/tickets/${ticket.id}`, { subject: 'Hijacked', status: 'open' }],
          ['POST', `/v1/tickets/${ticket.id}/messages`, { body: 'Injected' }],
          ['GET', `/v1/tickets/${ticket.id}/messages`, undefined],
          ['GET', `/v1/tickets/${ticket.id}/history`, undefined],
        ] as const) {
          const res = await (method === 'GET' ? c.get(path, headers) : method === 'PATCH' ? c.patch(path, body, headers) : c.post(path, body, headers));
          expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
          expect(res.headers.get('content-type')).toMatch(PROBLEM);
          expect(res.text).not.toContain('Acme secret');
        }
      }
      expect(await getTicket(ticket.id)).toEqual(ticket);
      expect((await messagesOf(ticket.id)).data.map((m) => m.body)).toEqual(['Acme secret description']);
      expect(await historyOf(ticket.id)).toEqual(historyBefore);
      const theirs = JSON.stringify(await list('limit=100&q=secret', globex));
      expect(theirs).not.toContain(ticket.id);
      expect(JSON.stringify(await list(`requesterId=${acmeContact.id}`, globex))).not.toContain(ticket.id);
    });

    it('answers 400 to a malformed id and 404 to an unknown one', async () => {
      for (const path of ['/v1/tickets/not-a-uuid', '/v1/tickets/123', '/v1/tickets/not-a-uuid/messages', '/v1/tickets/not-a-uuid/history']) {
        const res = await c.get(path, as(acme, 'agent'));
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
      }
      expectProblem(await c.get(`/v1/tickets/${RANDOM_UUID}`, as(acme, 'agent')), 404);
      expectProblem(await c.patch('/v1/tickets/not-a-uuid', { subject: 'x' }, ifMatch(acme, 'agent', 'W/"1"')), 400);
    });

    it("keeps each tenant's lists to its own tickets", async () => {
      const mine = await createTicket({ subject: `Globex only ${unique()}` }, globex);
      const acmeList = JSON.stringify(await list('limit=100'));
      expect(acmeList).not.toContain(mine.id);
      const globexList = await list('limit=100', globex);
      expect(globexList.data.map((t) => t.id)).toContain(mine.id);
      for (const t of globexList.data) expect(t.requesterId).not.toBe(acmeContact.id);
    });
  });

  describe('listing', () => {
    /** A set of acme tickets sharing a unique tag, so filters can be checked exactly. */
    let tag: string;
    let word: string;
    let other: { id: string; emails: string[] };
    let tickets: Ticket[];

    beforeAll(async () => {
      tag = `set-${unique()}`;
      word = `zephyr${unique()}`;
      other = expectStatus(await c.post('/v1/contacts', { name: 'Other Requester', emails: [`other.${unique()}@acme.example`] }, acme.headers('agent')), 201);
      tickets = [];
      const specs: Record<string, unknown>[] = [
        { subject: 'List one', priority: 'low' },
        { subject: 'List two', priority: 'high', assigneeId: acme.users.agent.userId },
        { subject: 'List three', priority: 'high', requesterId: other.id },
        { subject: 'List four', priority: 'urgent', assigneeId: acme.users.agent.userId, tags: [tag, 'extra'] },
        { subject: 'List five', priority: 'normal' },
        { subject: 'List six', priority: 'normal', assigneeId: acme.users.admin.userId },
      ];
      for (const spec of specs) {
        tickets.push(await createTicket({ tags: [tag], ...spec }));
        await sleep(5); // distinct creation times, so the order is unambiguous
      }
      // Statuses: one, two open; three pending; four on_hold; five, six new.
      tickets[0] = expectStatus(await patchTicket(acme, tickets[0], { status: 'open' }), 200);
      tickets[1] = expectStatus(await patchTicket(acme, tickets[1], { status: 'open' }), 200);
      tickets[2] = expectStatus(await patchTicket(acme, tickets[2], { status: 'pending' }), 200);
      tickets[3] = expectStatus(await patchTicket(acme, tickets[3], { status: 'on_hold' }), 200);
      // A word only present in a message, not in any subject.
      expectStatus(await c.post(`/v1/tickets/${tickets[4].id}/messages`, { body: `The ${word} module crashed`, visibility: 'internal' }, acme.headers('agent')), 201);
      // Word forms: the message says "radiators", a search for the singular must find it.
      expectStatus(await c.post(`/v1/tickets/${tickets[5].id}/messages`, { body: `Both ${word}x radiators leak at the valves`, visibility: 'internal' }, acme.headers('agent')), 201);
    });

    const ids = (page: Page<Ticket>) => page.data.map((t) => t.id);
    const idsOf = (...indexes: number[]) => indexes.map((i) => tickets[i].id);

    it('lists newest first by default', async () => {
      const page = await list(`tag=${tag}`);
      expect(ids(page)).toEqual(idsOf(5, 4, 3, 2, 1, 0));
      expect(page.nextCursor).toBeNull();
    });

    it('sorts by createdAt or updatedAt, ascending or descending', async () => {
      expect(ids(await list(`tag=${tag}&order=asc`))).toEqual(idsOf(0, 1, 2, 3, 4, 5));
      expect(ids(await list(`tag=${tag}&sort=createdAt&order=desc`))).toEqual(idsOf(5, 4, 3, 2, 1, 0));
      await sleep(5);
      const touched = await getTicket(tickets[1].id);
      tickets[1] = expectStatus(await patchTicket(acme, touched, { priority: 'urgent' }), 200);
      const byUpdate = ids(await list(`tag=${tag}&sort=updatedAt`));
      expect(byUpdate[0]).toBe(tickets[1].id);
      const byUpdateAsc = ids(await list(`tag=${tag}&sort=updatedAt&order=asc`));
      expect(byUpdateAsc[byUpdateAsc.length - 1]).toBe(tickets[1].id);
      expect([...byUpdateAsc].reverse()).toEqual(byUpdate);
    });

    it('filters by status, including a comma list', async () => {
      expect(ids(await list(`tag=${tag}&status=open`)).sort()).toEqual(idsOf(0, 1).sort());
      expect(ids(await list(`tag=${tag}&status=open,pending`)).sort()).toEqual(idsOf(0, 1, 2).sort());
      expect(ids(await list(`tag=${tag}&status=${encodeURIComponent('new,on_hold')}`)).sort()).toEqual(idsOf(3, 4, 5).sort());
      expect(ids(await list(`tag=${tag}&status=closed`))).toEqual([]);
    });

    it('filters by priority, assignee, requester and tag', async () => {
      const current = await Promise.all(tickets.map((t) => getTicket(t.id)));
      const expectIds = (pred: (t: Ticket) => boolean) => current.filter(pred).map((t) => t.id).sort();
      expect(ids(await list(`tag=${tag}&priority=urgent`)).sort()).toEqual(expectIds((t) => t.priority === 'urgent'));
      expect(ids(await list(`tag=${tag}&priority=low`)).sort()).toEqual(idsOf(0).sort());
      expect(ids(await list(`tag=${tag}&assigneeId=${acme.users.agent.userId}`)).sort()).toEqual(idsOf(1, 3).sort());
      expect(ids(await list(`tag=${tag}&assigneeId=${acme.users.admin.userId}`))).toEqual(idsOf(5));
      expect(ids(await list(`requesterId=${other.id}`))).toEqual(idsOf(2));
      expect(ids(await list(`tag=extra&requesterId=${acmeContact.id}`))).toContain(tickets[3].id);
      expect(ids(await list(`tag=nope-${unique()}`))).toEqual([]);
    });

    it('searches subjects and message text with q', async () => {
      expect(ids(await list(`q=${word}`))).toEqual(idsOf(4));
      expect(ids(await list(`q=${word.toUpperCase()}`))).toEqual(idsOf(4));
      expect(ids(await list(`tag=${tag}&q=${encodeURIComponent('List three')}`))).toEqual(idsOf(2));
      expect(ids(await list(`q=${word}`, globex))).toEqual([]);
    });

    it('finds word forms, ticket numbers and the requester’s email with q', async () => {
      // Stems: "radiator" finds "radiators", "leaking" finds "leak"; the exact word still works.
      expect(ids(await list(`tag=${tag}&q=${encodeURIComponent(`${word}x radiator`)}`))).toEqual(idsOf(5));
      expect(ids(await list(`tag=${tag}&q=${encodeURIComponent(`${word}x leaking valve`)}`))).toEqual(idsOf(5));
      expect(ids(await list(`tag=${tag}&q=${encodeURIComponent(`${word}x radiators`)}`))).toEqual(idsOf(5));
      // A number, with or without '#'; another tenant's number is not ours.
      expect(ids(await list(`q=${encodeURIComponent(`#${tickets[2].number}`)}`))).toContain(tickets[2].id);
      expect(ids(await list(`tag=${tag}&q=${tickets[2].number}`))).toEqual(idsOf(2));
      expect(ids(await list(`q=${encodeURIComponent(`#${tickets[2].number}`)}`, globex))).not.toContain(tickets[2].id);
      // The requester's email (any case) finds their tickets; not in another tenant.
      expect(ids(await list(`q=${encodeURIComponent(other.emails[0]!.toUpperCase())}`))).toEqual(idsOf(2));
      expect(ids(await list(`q=${encodeURIComponent(other.emails[0]!)}`, globex))).toEqual([]);
    });

    it('filters by created and updated time windows', async () => {
      const past = '2000-01-01T00:00:00.000Z';
      const future = '2100-01-01T00:00:00.000Z';
      expect(ids(await list(`tag=${tag}&createdFrom=${past}&createdTo=${future}`))).toHaveLength(6);
      expect(ids(await list(`tag=${tag}&createdFrom=${future}`))).toEqual([]);
      expect(ids(await list(`tag=${tag}&createdTo=${past}`))).toEqual([]);
      expect(ids(await list(`tag=${tag}&updatedFrom=${past}&updatedTo=${future}`))).toHaveLength(6);
      expect(ids(await list(`tag=${tag}&updatedFrom=${future}`))).toEqual([]);
      // A cut between the first and the last creation keeps the later ones only.
      const cut = new Date(Date.parse(tickets[3].createdAt) - 1).toISOString();
      const after = ids(await list(`tag=${tag}&createdFrom=${encodeURIComponent(cut)}`));
      expect(after).toEqual(expect.arrayContaining(idsOf(3, 4, 5)));
      expect(after).not.toContain(tickets[0].id);
      const before = ids(await list(`tag=${tag}&createdTo=${encodeURIComponent(cut)}`));
      expect(before).toEqual(expect.arrayContaining(idsOf(0)));
      expect(before).not.toContain(tickets[5].id);
    });

    it('pages with a cursor without repeats or gaps', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page<Ticket> = await list(`tag=${tag}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.data.length).toBeLessThanOrEqual(4);
        seen.push(...ids(page));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(2);
      expect(seen).toEqual(idsOf(5, 4, 3, 2, 1, 0));

      const all: string[] = [];
      cursor = null;
      pages = 0;
      do {
        const page: Page<Ticket> = await list(`limit=7&order=asc${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        all.push(...ids(page));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(all.length).toBeGreaterThan(10);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual(expect.arrayContaining(idsOf(0, 1, 2, 3, 4, 5)));
    });

    it('refuses a cursor on another list or with other filters (400), and takes it back on its own', async () => {
      const first: Page<Ticket> = await list(`tag=${tag}&limit=2`);
      expect(first.nextCursor).toBeTruthy();
      const cursor = encodeURIComponent(first.nextCursor!);
      for (const path of [`/v1/tickets?tag=${tag}&priority=high&limit=2&cursor=${cursor}`, `/v1/tickets?limit=2&cursor=${cursor}`, `/v1/contacts?limit=2&cursor=${cursor}`]) {
        const res = await c.get(path, acme.headers('agent'));
        expect([path, res.status]).toEqual([path, 400]);
        expect(res.body).toMatchObject({ type: 'https://switchboard.dev/problems/invalid-cursor', errors: [{ field: 'cursor', message: 'is invalid' }] });
      }
      // Same list and filters, another limit: fine.
      const next = ids(await list(`limit=3&tag=${tag}&cursor=${cursor}`));
      expect(next.length).toBeGreaterThan(0);
      expect(next.filter((id) => ids(first).includes(id))).toEqual([]);
    });

    it('treats full-text operators in q as plain words', async () => {
      for (const q of ["a & b | !c :* (", "'", '\\', '<->', 'zephyr:*', '%', ')))']) {
        const res = await c.get(`/v1/tickets?q=${encodeURIComponent(q)}`, as(acme, 'agent'));
        expect({ q, status: res.status }).toEqual({ q, status: 200 });
      }
    });

    it('pages without repeats when many tickets share a creation instant', async () => {
      const t = await createTenant(api.url, 'hooli');
      const requester = expectStatus(await c.post('/v1/contacts', { name: 'Tie', emails: [`tie.${unique()}@example.com`] }, as(t, 'agent')), 201);
      const created: Ticket[] = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => expectStatus(await c.post('/v1/tickets', { subject: `Tie ${i}`, requesterId: requester.id }, as(t, 'agent')), 201)),
      );
      for (const order of ['desc', 'asc']) {
        for (const sort of ['createdAt', 'updatedAt']) {
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page: Page<Ticket> = expectStatus(
              await c.get(`/v1/tickets?limit=5&sort=${sort}&order=${order}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, as(t, 'agent')),
              200,
            );
            seen.push(...page.data.map((x) => x.id));
            cursor = page.nextCursor;
            pages += 1;
          } while (cursor && pages < 10);
          expect({ sort, order, count: seen.length, distinct: new Set(seen).size }).toEqual({ sort, order, count: 12, distinct: 12 });
          expect([...seen].sort()).toEqual(created.map((x) => x.id).sort());
        }
      }
    });

    it('refuses bad filter values with 400', async () => {
      for (const query of [
        'status=bogus',
        'status=open,bogus',
        'priority=critical',
        'sort=subject',
        'order=sideways',
        'limit=0',
        'limit=101',
        'limit=abc',
        'createdFrom=yesterday',
        'createdTo=2024-13-45',
        'updatedFrom=not-a-date',
        'updatedTo=soon',
        'assigneeId=not-a-uuid',
        'requesterId=not-a-uuid',
        'cursor=garbage!!',
      ]) {
        const res = await c.get(`/v1/tickets?${query}`, as(acme, 'agent'));
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
      }
      expect((await c.get('/v1/tickets?limit=100', as(acme, 'agent'))).status).toBe(200);
      expect((await c.get('/v1/tickets?limit=1', as(acme, 'agent'))).body.data).toHaveLength(1);
    });
  });
});

describe('tickets: bulk update and incremental export', () => {
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

  const create = async (tenant: TenantSession, subject: string) => {
    const res = await fetch(`${api.url}/v1/tickets`, { method: 'POST', headers: tenant.headers('agent'), body: JSON.stringify({ subject, requester: { email: 'bulk@example.com' } }) });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; version: number; status: string };
  };
  const bulk = (tenant: TenantSession, body: unknown) => fetch(`${api.url}/v1/tickets/bulk`, { method: 'POST', headers: tenant.headers('agent'), body: JSON.stringify(body) });
  const get = async (tenant: TenantSession, id: string) => (await fetch(`${api.url}/v1/tickets/${id}`, { headers: tenant.headers('agent') })).json();

  it('changes up to 100 tickets in one request', async () => {
    const tickets = await Promise.all([1, 2, 3].map((i) => create(acme, `bulk ${i}`)));
    const res = await bulk(acme, { ids: tickets.map((t) => t.id), changes: { status: 'pending', priority: 'high', tags: ['batch'] } });
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data.map((t: { id: string }) => t.id)).toEqual(tickets.map((t) => t.id));
    for (const t of data) expect(t).toMatchObject({ status: 'pending', priority: 'high', tags: ['batch'], version: 2 });
  });

  it('is all or nothing: one refusing ticket leaves every ticket unchanged and is named', async () => {
    const [a, b] = await Promise.all([create(acme, 'ok'), create(acme, 'to close')]);
    await fetch(`${api.url}/v1/tickets/${b.id}`, { method: 'PATCH', headers: acme.headers('agent', { 'if-match': 'W/"1"' }), body: JSON.stringify({ status: 'solved' }) });
    await fetch(`${api.url}/v1/tickets/${b.id}`, { method: 'PATCH', headers: acme.headers('agent', { 'if-match': 'W/"2"' }), body: JSON.stringify({ status: 'closed' }) });
    const res = await bulk(acme, { ids: [a.id, b.id], changes: { status: 'open' } });
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors[0].message).toContain(b.id);
    expect((await get(acme, a.id)).status).toBe('new');
  });

  it("treats another tenant's ticket in a batch as missing, changing nothing", async () => {
    const [mine, theirs] = [await create(acme, 'mine'), await create(globex, 'theirs')];
    const res = await bulk(acme, { ids: [mine.id, theirs.id], changes: { priority: 'urgent' } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toMatch(/does not exist/);
    expect((await get(acme, mine.id)).priority).toBe('normal');
    expect((await get(globex, theirs.id)).priority).toBe('normal');
  });

  it('refuses empty, oversized, duplicated and malformed batches', async () => {
    const one = await create(acme, 'x');
    const ids101 = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    for (const body of [{ ids: [], changes: { priority: 'low' } }, { ids: ids101, changes: {} }, { ids: [one.id, one.id], changes: {} }, { ids: ['nope'], changes: {} }, { ids: [one.id] }, { ids: [one.id], changes: { status: 'bogus' } }]) {
      expect((await bulk(acme, body)).status).toBe(400);
    }
    expect((await bulk(acme, { ids: [one.id], changes: { priority: 'low' } })).status).toBe(200);
    const viewer = await fetch(`${api.url}/v1/tickets/bulk`, { method: 'POST', headers: acme.headers('viewer'), body: JSON.stringify({ ids: [one.id], changes: { priority: 'high' } }) });
    expect(viewer.status).toBe(403);
  });

  it('exports changed tickets page by page, then picks up later changes from the kept cursor', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const made = [await create(globex, 'e1'), await create(globex, 'e2')];
    const first = await (await fetch(`${api.url}/v1/tickets/export?since=${encodeURIComponent(since)}`, { headers: globex.headers('viewer') })).json();
    const ids = first.data.map((t: { id: string }) => t.id);
    for (const t of made) expect(ids).toContain(t.id);
    expect(first.endOfStream).toBe(true);
    const quiet = await (await fetch(`${api.url}/v1/tickets/export?cursor=${first.nextCursor}`, { headers: globex.headers('viewer') })).json();
    expect(quiet.data).toEqual([]);
    await fetch(`${api.url}/v1/tickets/${made[0].id}`, { method: 'PATCH', headers: globex.headers('agent', { 'if-match': 'W/"1"' }), body: JSON.stringify({ priority: 'low' }) });
    const later = await (await fetch(`${api.url}/v1/tickets/export?cursor=${quiet.nextCursor}`, { headers: globex.headers('viewer') })).json();
    expect(later.data.map((t: { id: string; priority: string }) => [t.id, t.priority])).toEqual([[made[0].id, 'low']]);
    const acmeView = await (await fetch(`${api.url}/v1/tickets/export?since=${encodeURIComponent(since)}`, { headers: acme.headers('viewer') })).json();
    for (const t of made) expect(acmeView.data.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect((await fetch(`${api.url}/v1/tickets/export?since=yesterday`, { headers: acme.headers('viewer') })).status).toBe(400);
  });
});
