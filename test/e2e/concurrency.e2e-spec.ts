import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import type * as Options from '../../libs/platform/src/database/data-source-options';
import { TenantTransaction, TRANSACTION_ATTEMPTS } from '../../libs/platform/src/database/tenant-transaction';
import { client, expectProblem, expectStatus, PROBLEM, type HttpResult } from '../support/http';
import { startApi, type RunningApi } from '../support/processes';
import { createTenant, type TenantSession } from '../support/tenants';

// The compiled module, as the apps run it (the data source options locate dist/migrations).
const load = createRequire(import.meta.url);
const { buildDataSourceOptions } = load('../../dist/libs/platform/src/database/data-source-options.js') as typeof Options;

/**
 * Requests that collide on the same rows. On the embedded database every transaction holds the one
 * session until it ends, so collisions there queue up; on a real PostgreSQL server
 * (E2E_DATABASE_URL) they interleave, wait on each other's row locks and can deadlock. Either way
 * every client gets a sensible answer (never a 500) and the data stays consistent.
 */

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  requesterId: string;
  tags: string[];
  mergedIntoId: string | null;
  mergedFrom: string[];
  version: number;
}

interface HistoryEntry {
  action: string;
  changes: Record<string, { from?: unknown; to?: unknown }>;
}

const unique = () => randomBytes(4).toString('hex');

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const external = process.env.E2E_DATABASE_KIND === 'external';

/** A status the api may answer a request that lost a race with: never 500. */
function expectSensible(res: HttpResult, allowed: number[]): void {
  if (!allowed.includes(res.status)) throw new Error(`expected one of ${allowed.join(', ')}, got ${res.status}: ${res.text}`);
  if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(PROBLEM);
}

describe('concurrent requests on the same rows', () => {
  let api: RunningApi;
  let c: ReturnType<typeof client>;
  let acme: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    c = client(api.url);
    acme = await createTenant(api.url, 'race');
  });
  afterAll(async () => {
    await api?.stop();
  });

  const createTicket = async (subject: string): Promise<Ticket> =>
    expectStatus(await c.post('/v1/tickets', { subject, requester: { email: `requester.${unique()}@race.example` } }, acme.headers('agent')), 201);
  const getTicket = async (id: string): Promise<Ticket> => expectStatus(await c.get(`/v1/tickets/${id}`, acme.headers('agent')), 200);
  /** Every ticket.updated entry, oldest first. */
  const updates = async (id: string): Promise<HistoryEntry[]> => {
    const page = expectStatus(await c.get(`/v1/tickets/${id}/history?limit=100`, acme.headers('agent')), 200) as { data: HistoryEntry[] };
    return page.data.filter((e) => e.action === 'ticket.updated').reverse();
  };

  describe('two agents changing one ticket at the same time', () => {
    it('with the same ETag: exactly one change wins, the other gets 412 and changes nothing', async () => {
      for (let round = 0; round < 5; round++) {
        const ticket = await createTicket(`same etag ${round}`);
        const etag = `W/"${ticket.version}"`;
        const [agent, admin] = await Promise.all([
          c.patch(`/v1/tickets/${ticket.id}`, { priority: 'high', tags: ['agent'] }, acme.headers('agent', { 'if-match': etag })),
          c.patch(`/v1/tickets/${ticket.id}`, { priority: 'low', tags: ['admin'] }, acme.headers('admin', { 'if-match': etag })),
        ]);
        expect([agent.status, admin.status].sort()).toEqual([200, 412]);
        const [winner, loser] = agent.status === 200 ? [agent, admin] : [admin, agent];
        expectProblem(loser, 412, 'precondition-failed');
        expect(winner.headers.get('etag')).toBe(`W/"${ticket.version + 1}"`);

        const final = await getTicket(ticket.id);
        expect(final).toMatchObject({ priority: winner.body.priority, tags: winner.body.tags, version: ticket.version + 1 });
        const history = await updates(ticket.id);
        expect(history).toHaveLength(1);
        expect(history[0].changes.priority).toEqual({ from: 'normal', to: winner.body.priority });
      }
    });

    it('re-reading after each 412: every change lands once, in an order the history tells without gaps', async () => {
      const ticket = await createTicket('many writers');
      const writers = ['agent', 'admin', 'owner', 'agent', 'admin', 'owner'] as const;
      const statuses: number[] = [];
      // Each writer reads, changes the subject, and on 412 reads again, as a console would.
      await Promise.all(
        writers.map(async (role, i) => {
          for (;;) {
            const current = await getTicket(ticket.id);
            const res = await c.patch(`/v1/tickets/${ticket.id}`, { subject: `writer ${i}` }, acme.headers(role, { 'if-match': `W/"${current.version}"` }));
            expectSensible(res, [200, 412]);
            statuses.push(res.status);
            if (res.status === 200) return;
          }
        }),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(writers.length);
      const final = await getTicket(ticket.id);
      expect(final.version).toBe(ticket.version + writers.length);
      const history = await updates(ticket.id);
      expect(history).toHaveLength(writers.length);
      // A chain: each change starts from what the previous one left, and the last is what is stored.
      let subject: unknown = 'many writers';
      for (const entry of history) {
        expect(entry.changes.subject.from).toBe(subject);
        subject = entry.changes.subject.to;
      }
      expect(final.subject).toBe(subject);
      expect(new Set(history.map((e) => e.changes.subject.to))).toEqual(new Set(writers.map((_, i) => `writer ${i}`)));
    });

    it('a reply and a change at the same time both land, each seeing the other', async () => {
      for (let round = 0; round < 5; round++) {
        const ticket = await createTicket(`reply and change ${round}`);
        const [reply, change] = await Promise.all([
          c.post(`/v1/tickets/${ticket.id}/messages`, { body: 'On it.' }, acme.headers('agent')),
          c.patch(`/v1/tickets/${ticket.id}`, { priority: 'urgent' }, acme.headers('admin', { 'if-match': `W/"${ticket.version}"` })),
        ]);
        expectStatus(reply, 201);
        // The change was based on the version before the reply: it wins when it came first, else 412.
        expectSensible(change, [200, 412]);
        const final = await getTicket(ticket.id);
        expect(final.version).toBe(ticket.version + (change.status === 200 ? 2 : 1));
        expect(final.priority).toBe(change.status === 200 ? 'urgent' : 'normal');
      }
    });
  });

  describe('find-or-create of one new email from many requests at once', () => {
    it('20 concurrent find-or-creates make exactly one contact; every request gets it', async () => {
      const local = `rush.${unique()}`;
      const email = `${local}@race.example`;
      const results = await Promise.all(Array.from({ length: 20 }, () => c.post('/v1/contacts/find-or-create', { email }, acme.headers('agent'))));
      for (const res of results) expectSensible(res, [200, 201]);
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(new Set(results.map((r) => r.body.contact.id)).size).toBe(1);
      const listed = expectStatus(await c.get(`/v1/contacts?q=${local}&limit=100`, acme.headers('agent')), 200);
      expect(listed.data.map((x: { id: string; emails: string[] }) => [x.id, x.emails])).toEqual([[results[0].body.contact.id, [email]]]);
    });

    it('20 concurrent tickets from one new requester email share exactly one new contact, with distinct numbers', async () => {
      const local = `newcomer.${unique()}`;
      const email = `${local}@race.example`;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => c.post('/v1/tickets', { subject: `from a newcomer ${i}`, requester: { email } }, acme.headers('agent'))),
      );
      for (const res of results) expectStatus(res, 201);
      const tickets = results.map((r) => r.body as Ticket);
      expect(new Set(tickets.map((t) => t.requesterId)).size).toBe(1);
      expect(new Set(tickets.map((t) => t.number)).size).toBe(20);
      // No half-made contact left behind by a request that lost the race: the name search finds
      // contacts without an email too (a contact made from an email is named after its local part).
      const listed = expectStatus(await c.get(`/v1/contacts?q=${local}&limit=100`, acme.headers('agent')), 200);
      expect(listed.data.map((x: { id: string; emails: string[] }) => [x.id, x.emails])).toEqual([[tickets[0].requesterId, [email]]]);
    });
  });

  describe('merges crossing each other', () => {
    it('A→B and B→A at the same moment: one merge stands whole, the other is refused, no message is lost', async () => {
      for (let round = 0; round < 4; round++) {
        const [a, b] = await Promise.all([createTicket(`merge a ${round}`), createTicket(`merge b ${round}`)]);
        await Promise.all([
          c.post(`/v1/tickets/${a.id}/messages`, { body: `from a ${round}`, author: 'requester' }, acme.headers('agent')),
          c.post(`/v1/tickets/${b.id}/messages`, { body: `from b ${round}`, author: 'requester' }, acme.headers('agent')),
        ]);
        // The second one in each pair names the other ticket in upper case: the same ticket, the same lock order.
        const [ab, ba] = await Promise.all([
          c.post(`/v1/tickets/${a.id}/merge`, { targetId: b.id }, acme.headers('agent')),
          c.post(`/v1/tickets/${b.id}/merge`, { targetId: round % 2 ? a.id.toUpperCase() : a.id }, acme.headers('admin')),
        ]);
        expectSensible(ab, [200, 409]);
        expectSensible(ba, [200, 409]);
        expect([ab.status, ba.status].sort()).toEqual([200, 409]);
        const [finalA, finalB] = await Promise.all([getTicket(a.id), getTicket(b.id)]);
        const [survivor, merged] = finalA.mergedIntoId ? [finalB, finalA] : [finalA, finalB];
        expect(merged).toMatchObject({ status: 'closed', mergedIntoId: survivor.id });
        expect(survivor).toMatchObject({ mergedIntoId: null, mergedFrom: [merged.id] });
        const bodies = async (id: string) => (expectStatus(await c.get(`/v1/tickets/${id}/messages?limit=100`, acme.headers('agent')), 200).data as { body: string }[]).map((m) => m.body);
        expect((await bodies(survivor.id)).sort()).toEqual([`from a ${round}`, `from b ${round}`]);
        expect(await bodies(merged.id)).toEqual([]);
      }
    });
  });

  describe('bulk updates crossing each other', () => {
    it('two batches over overlapping tickets, sent in opposite orders, both apply; no deadlock reaches a client', async () => {
      const tickets = await Promise.all(Array.from({ length: 8 }, (_, i) => createTicket(`crossing ${i}`)));
      const ids = tickets.map((t) => t.id);
      const forward = ids.slice(0, 6);
      const backward = ids.slice(2).reverse();
      const applied = new Map<string, number>(ids.map((id) => [id, 0]));
      for (let round = 0; round < 4; round++) {
        const [a, b] = await Promise.all([
          c.post('/v1/tickets/bulk', { ids: forward, changes: { priority: round % 2 ? 'high' : 'low', tags: [`a${round}`] } }, acme.headers('agent')),
          c.post('/v1/tickets/bulk', { ids: backward, changes: { priority: round % 2 ? 'low' : 'urgent', tags: [`b${round}`] } }, acme.headers('admin')),
        ]);
        // Both apply: the batches lock in one order, and a deadlock would be run again, not answered.
        expect(expectStatus(a, 200).data.map((t: Ticket) => t.id)).toEqual(forward);
        expect(expectStatus(b, 200).data.map((t: Ticket) => t.id)).toEqual(backward);
        for (const id of forward) applied.set(id, applied.get(id)! + 1);
        for (const id of backward) applied.set(id, applied.get(id)! + 1);
      }
      for (const id of ids) {
        const [final, history] = await Promise.all([getTicket(id), updates(id)]);
        // Both batches change priority and tags on the shared tickets every round, so each applied batch is one entry.
        expect(history).toHaveLength(applied.get(id)!);
        expect(final.version).toBe(1 + applied.get(id)!);
        if (history.length > 0) expect(final.tags).toEqual(history.at(-1)!.changes.tags.to);
      }
    });

    it('the same ticket ids in another letter case are the same tickets, in the order asked', async () => {
      const tickets = await Promise.all(Array.from({ length: 4 }, (_, i) => createTicket(`letter case ${i}`)));
      const lower = tickets.map((t) => t.id);
      const upper = [...lower].reverse().map((id) => id.toUpperCase());
      const [a, b] = await Promise.all([
        c.post('/v1/tickets/bulk', { ids: lower, changes: { tags: ['lower'] } }, acme.headers('agent')),
        c.post('/v1/tickets/bulk', { ids: upper, changes: { tags: ['upper'] } }, acme.headers('admin')),
      ]);
      expect(expectStatus(a, 200).data.map((t: Ticket) => t.id)).toEqual(lower);
      expect(expectStatus(b, 200).data.map((t: Ticket) => t.id)).toEqual(upper.map((id) => id.toLowerCase()));
      for (const id of lower) expect((await getTicket(id)).version).toBe(3);
      // One id twice, once in each case, is a duplicate like any other.
      expectProblem(await c.post('/v1/tickets/bulk', { ids: [lower[0], lower[0].toUpperCase()], changes: { tags: ['twice'] } }, acme.headers('agent')), 400);
    });

    it('a batch and single changes of its tickets at the same time: every answer sensible, versions and history agree', async () => {
      const tickets = await Promise.all(Array.from({ length: 5 }, (_, i) => createTicket(`batch and single ${i}`)));
      const ids = tickets.map((t) => t.id);
      const [batch, ...singles] = await Promise.all([
        c.post('/v1/tickets/bulk', { ids, changes: { status: 'open' } }, acme.headers('agent')),
        ...[...tickets].reverse().map((t) => c.patch(`/v1/tickets/${t.id}`, { priority: 'high' }, acme.headers('admin', { 'if-match': `W/"${t.version}"` }))),
      ]);
      expectStatus(batch, 200);
      // A single change sent with version 1 wins only if it came before the batch.
      for (const res of singles) expectSensible(res, [200, 412]);
      for (const id of ids) {
        const [final, history] = await Promise.all([getTicket(id), updates(id)]);
        expect(final.version).toBe(1 + history.length);
        expect(final.status).toBe('open');
      }
      expect(singles.filter((r) => r.status === 200).length + ids.length).toBe(
        (await Promise.all(ids.map(updates))).reduce((n, h) => n + h.length, 0),
      );
    });
  });
});

describe('tenant transactions rolled back for a deadlock or serialization failure', () => {
  const table = `retry_check_${randomBytes(4).toString('hex')}`;
  const tenantId = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
  const context = { tenantId, actorId: null, correlationId: null };
  let dataSource: DataSource;
  let tenants: TenantTransaction;
  const count = async (label: string) => Number((await dataSource.query(`SELECT n FROM ${table} WHERE label = $1`, [label]))[0]?.n ?? 0);

  beforeAll(async () => {
    dataSource = new DataSource(buildDataSourceOptions({ DATABASE_URL: process.env.E2E_DATABASE_URL!, DATABASE_POOL_SIZE: 4 }));
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE ${table} (label text PRIMARY KEY, n int NOT NULL DEFAULT 0)`);
    await dataSource.query(`GRANT SELECT, INSERT, UPDATE ON ${table} TO switchboard_app`);
    // Fails with `code` on its first `failures` calls since the sequence restarted.
    await dataSource.query(`CREATE SEQUENCE ${table}_failures`);
    await dataSource.query(`GRANT USAGE ON SEQUENCE ${table}_failures TO switchboard_app`);
    await dataSource.query(`CREATE FUNCTION ${table}_fail_first(failures int, code text) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('${table}_failures') <= failures THEN RAISE EXCEPTION USING ERRCODE = code, MESSAGE = 'rolled back by the test'; END IF;
      END $$`);
    tenants = new TenantTransaction(dataSource, new ClsService(new AsyncLocalStorage()), { publishAll: () => undefined } as never, {
      DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 10_000,
    } as never);
    await tenants.onModuleInit();
  });
  afterAll(async () => {
    await dataSource?.query(`DROP FUNCTION IF EXISTS ${table}_fail_first(int, text)`);
    await dataSource?.query(`DROP SEQUENCE IF EXISTS ${table}_failures`);
    await dataSource?.query(`DROP TABLE IF EXISTS ${table}`);
    await dataSource?.destroy();
  });

  const failWith = (code: string) => `DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '${code}', MESSAGE = 'rolled back by the test'; END $$`;

  it('runs the whole transaction again, and only the successful run commits', async () => {
    for (const code of ['40001', '40P01']) {
      const label = `flaky-${code}`;
      let runs = 0;
      const result = await tenants.run(context, async (tx) => {
        runs++;
        await tx.manager.query(`INSERT INTO ${table} (label, n) VALUES ($1, 1) ON CONFLICT (label) DO UPDATE SET n = ${table}.n + 1`, [label]);
        if (runs < 3) await tx.manager.query(failWith(code));
        return runs;
      });
      expect(result).toBe(3);
      expect(await count(label)).toBe(1);
    }
  });

  it(`gives up after ${TRANSACTION_ATTEMPTS} runs with the database's error, and retries nothing else`, async () => {
    let runs = 0;
    const error = await tenants
      .run(context, async (tx) => {
        runs++;
        await tx.manager.query(`INSERT INTO ${table} (label, n) VALUES ('hopeless', 1)`);
        await tx.manager.query(failWith('40P01'));
      })
      .catch((e: unknown) => e);
    expect((error as { driverError?: { code?: string } }).driverError?.code).toBe('40P01');
    expect(runs).toBe(TRANSACTION_ATTEMPTS);
    expect(await count('hopeless')).toBe(0);

    let unique = 0;
    const duplicate = await tenants
      .run(context, async (tx) => {
        unique++;
        await tx.manager.query(`INSERT INTO ${table} (label) VALUES ('twice'), ('twice')`);
      })
      .catch((e: unknown) => e);
    expect((duplicate as { driverError?: { code?: string } }).driverError?.code).toBe('23505');
    expect(unique).toBe(1);
  });

  it('a batch of statements known up front runs again too', async () => {
    await dataSource.query(`INSERT INTO ${table} (label) VALUES ('batch')`);
    await dataSource.query(`ALTER SEQUENCE ${table}_failures RESTART`);
    // The same statements each run; the sequence (which no rollback undoes) makes the first two fail.
    const rows = await tenants.runBatch(context, [{ sql: `UPDATE ${table} SET n = n + 1 WHERE label = 'batch' RETURNING n` }, { sql: `SELECT ${table}_fail_first(2, '40001')` }]);
    expect(rows[0]).toEqual([{ n: 1 }]);
    expect(Number((await dataSource.query(`SELECT last_value FROM ${table}_failures`))[0].last_value)).toBe(3);
    expect(await count('batch')).toBe(1);
  });

  it('two transactions taking two rows in opposite order both commit: a deadlock is retried, not reported', async () => {
    await dataSource.query(`INSERT INTO ${table} (label) VALUES ('left'), ('right')`);
    const runs = { forward: 0, backward: 0 };
    const took = { forward: signal(), backward: signal() };
    const cross = (name: 'forward' | 'backward', first: string, second: string, other: 'forward' | 'backward') =>
      tenants.run(context, async (tx) => {
        runs[name]++;
        await tx.manager.query(`UPDATE ${table} SET n = n + 1 WHERE label = $1`, [first]);
        took[name].resolve();
        // On a real server the other transaction holds its first row by now; on the embedded
        // database it cannot start before this one ends, so the wait times out instead.
        await Promise.race([took[other].promise, sleep(500)]);
        await tx.manager.query(`UPDATE ${table} SET n = n + 1 WHERE label = $1`, [second]);
      });
    await Promise.all([cross('forward', 'left', 'right', 'backward'), cross('backward', 'right', 'left', 'forward')]);
    expect(await count('left')).toBe(2);
    expect(await count('right')).toBe(2);
    // Postgres broke the deadlock by rolling one of them back, and that one ran again.
    expect(runs.forward + runs.backward).toBe(external ? 3 : 2);
  });
});
