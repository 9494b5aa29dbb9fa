import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { serialize } from 'pg-protocol';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from './embedded-postgres';

describe('embedded PostgreSQL', () => {
  let pg: RunningEmbeddedPostgres;
  let pool: Pool;
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-embedded-spec-'));

  beforeAll(async () => {
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg') });
    pool = new Pool({ connectionString: pg.url, max: 8 });
  });
  afterAll(async () => {
    await pool?.end();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('vacuums and analyses churned tables between transactions, never inside one', async () => {
    const logged: string[] = [];
    const db = await startEmbeddedPostgres({ dataDir: 'memory://', maintenanceIntervalMs: 0, log: (m) => logged.push(m) });
    const clients = new Pool({ connectionString: db.url, max: 2 });
    try {
      await clients.query('CREATE TABLE churned (id int PRIMARY KEY, v int); CREATE TABLE calm (id int PRIMARY KEY)');
      await clients.query('INSERT INTO churned SELECT g, 0 FROM generate_series(1, 2000) g; INSERT INTO calm VALUES (1)');
      await clients.query('VACUUM ANALYZE churned');
      await clients.query('VACUUM ANALYZE calm');
      for (let i = 0; i < 3; i++) await clients.query('UPDATE churned SET v = v + 1');
      const stats = async () => {
        await clients.query('SELECT pg_stat_force_next_flush()');
        return (await clients.query(`SELECT relname, n_dead_tup::int AS dead, last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables ORDER BY relname`)).rows as { relname: string; dead: number; vacuumed: boolean }[];
      };
      expect((await stats()).find((t) => t.relname === 'churned')!.dead).toBeGreaterThan(1000);

      // A client inside a transaction keeps the session: the pass waits for its commit, and the
      // transaction sees nothing of it.
      const holder = await clients.connect();
      await holder.query('BEGIN');
      await holder.query('UPDATE churned SET v = v + 1 WHERE id = 1');
      let passDone = false;
      const pass = db.maintain().then((actions) => {
        passDone = true;
        return actions;
      });
      await sleep(200);
      expect(passDone).toBe(false);
      expect((await holder.query('SELECT v FROM churned WHERE id = 1')).rows[0].v).toBe(4);
      await holder.query('COMMIT');
      holder.release();
      const actions = await pass;
      expect(actions.map((a) => [a.table, a.action])).toEqual([['public.churned', 'vacuum']]);
      expect(logged).toEqual([expect.stringMatching(/^maintenance: vacuumed and analysed public\.churned in \d+ ms$/)]);
      const after = await stats();
      expect(after.find((t) => t.relname === 'churned')).toMatchObject({ dead: 0, vacuumed: true });
      // Nothing left to do: the next pass does nothing.
      expect(await db.maintain()).toEqual([]);
    } finally {
      await clients.end();
      await db.stop();
    }
  });

  it('rolls back and closes a connection that idles inside a transaction, so the others go on', async () => {
    const short = await startEmbeddedPostgres({ dataDir: 'memory://', idleInTransactionTimeoutMs: 300 });
    const stuck = new Pool({ connectionString: short.url, max: 1 });
    const others = new Pool({ connectionString: short.url, max: 2 });
    stuck.on('error', () => undefined);
    try {
      await others.query('CREATE TABLE t (v int)');
      const held = await stuck.connect();
      held.on('error', () => undefined);
      await held.query('BEGIN');
      await held.query('INSERT INTO t VALUES (1)');
      // The holder goes quiet (a paused process); another client still gets its answer.
      const started = Date.now();
      const { rows } = await others.query('SELECT count(*)::int AS n FROM t');
      expect(rows[0].n).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(held.query('COMMIT')).rejects.toThrow();
      held.release(true);
      expect((await others.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(0);
      // A transaction that keeps talking is not cut off.
      const busy = await others.connect();
      await busy.query('BEGIN');
      for (let i = 0; i < 5; i++) {
        await busy.query('INSERT INTO t VALUES ($1)', [i]);
        await sleep(100);
      }
      await busy.query('COMMIT');
      busy.release();
      expect((await others.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(5);
    } finally {
      await stuck.end().catch(() => undefined);
      await others.end();
      await short.stop();
    }
  });

  it('closes a client idle in its transaction at once, with its other queued connections, and counts a held Parse as idle', async () => {
    const short = await startEmbeddedPostgres({ dataDir: 'memory://', idleInTransactionTimeoutMs: 500 });
    const others = new Pool({ connectionString: short.url, max: 2 });
    const clients: Socket[] = [];
    try {
      await others.query('CREATE TABLE t (v int)');
      // A process with two connections: the first is inside a transaction and has sent a Parse
      // whose Sync never comes (the process was stopped); the second queued a transaction of its
      // own behind it.
      const first = await rawClient(short.port, 'paused 1');
      const second = await rawClient(short.port, 'paused 1');
      const bystander = await rawClient(short.port, 'paused 1');
      clients.push(first.socket, second.socket, bystander.socket);
      first.socket.write(serialize.query('BEGIN; INSERT INTO t VALUES (1)'));
      await first.waitFor('Z');
      first.socket.write(serialize.parse({ text: 'INSERT INTO t VALUES (2)', types: [] }));
      await sleep(50);
      second.socket.write(serialize.query('BEGIN; INSERT INTO t VALUES (3)'));
      // Another client (an api) goes on.
      const { rows } = await others.query('SELECT count(*)::int AS n FROM t');
      expect(rows[0].n).toBe(0);
      // The stalled connection is closed without sending anything more, and the queued one
      // of the same process never ran: it got no answer at all before it was closed.
      await first.closed;
      await second.closed;
      expect(second.types()).toEqual([]);
      // A connection of that process that was idle outside any transaction is left alone.
      bystander.socket.write(serialize.query('SELECT 1'));
      await bystander.waitFor('Z');
      expect(bystander.types()).not.toContain('E');
      expect((await others.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(0);
    } finally {
      for (const socket of clients) socket.destroy();
      await others.end();
      await short.stop();
    }
  }, 30_000);

  it('serves pgvector and pgcrypto', async () => {
    const { rows } = await pool.query(`SELECT '[1,0]'::vector <=> '[0,1]'::vector AS d, length(gen_random_bytes(4)) AS n`);
    expect(rows[0]).toEqual({ d: 1, n: 4 });
  });

  it('keeps concurrent parameterised queries of different connections apart', async () => {
    // Distinct statements and parameter types: interleaving would bind one query to another's statement.
    const results = await Promise.allSettled(
      Array.from({ length: 400 }, (_, i) =>
        i % 2 === 0
          ? pool.query('SELECT $1::int AS v', [i]).then((r) => r.rows[0].v === i)
          : pool.query('SELECT $1::text AS t, $2::int AS v', [`x${i}`, i]).then((r) => r.rows[0].t === `x${i}` && r.rows[0].v === i),
      ),
    );
    const failures = results.filter((r) => r.status === 'rejected' || r.value !== true);
    expect(failures).toEqual([]);
  });

  /** A raw protocol client, so the test controls exactly when each message is sent. */
  async function rawClient(
    port = pg.port,
    applicationName?: string,
  ): Promise<{ socket: Socket; closed: Promise<void>; types: () => string[]; text: () => string; waitFor(type: string): Promise<void> }> {
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => (buffer = Buffer.concat([buffer, chunk])));
    const types = () => {
      const found: string[] = [];
      for (let at = 0; at + 5 <= buffer.length; at += 1 + buffer.readInt32BE(at + 1)) found.push(String.fromCharCode(buffer[at]));
      return found;
    };
    const client = {
      socket,
      closed,
      types,
      text: () => buffer.toString('latin1'),
      async waitFor(type: string) {
        for (let i = 0; i < 100 && !types().includes(type); i++) await sleep(20);
        if (!types().includes(type)) throw new Error(`no ${type} message; got ${types().join('')}`);
      },
    };
    socket.write(serialize.startup({ user: 'postgres', database: 'postgres', ...(applicationName ? { application_name: applicationName } : {}) }));
    await client.waitFor('Z');
    buffer = Buffer.alloc(0);
    return client;
  }

  it('does not let another connection run between Parse and Bind of an extended query', async () => {
    const a = await rawClient();
    const b = await rawClient();
    try {
      a.socket.write(serialize.parse({ text: 'SELECT $1::int AS v', types: [] }));
      await sleep(50);
      // B sends a whole query of another shape while A is between its Parse and its Bind.
      b.socket.write(
        Buffer.concat([serialize.parse({ text: 'SELECT $1::text AS t, $2::text AS u', types: [] }), serialize.bind({ values: ['bee', 'y'] }), serialize.execute(), serialize.sync()]),
      );
      await sleep(50);
      a.socket.write(Buffer.concat([serialize.bind({ values: ['7'] }), serialize.execute(), serialize.sync()]));
      await a.waitFor('Z');
      await b.waitFor('Z');
      expect(a.types()).not.toContain('E');
      expect(a.types()).toContain('D');
      expect(b.types()).not.toContain('E');
      expect(b.text()).toContain('bee');
    } finally {
      a.socket.destroy();
      b.socket.destroy();
    }
  });

  it('answers a Flush before any Sync, and a failed statement of a batch without wedging the connection', async () => {
    const a = await rawClient();
    try {
      // Held messages go to the backend with the Flush: the client gets ParseComplete and the
      // statement's description while its Sync is still to come.
      a.socket.write(Buffer.concat([serialize.parse({ name: 's1', text: 'SELECT $1::int AS v', types: [] }), serialize.describe({ type: 'S', name: 's1' }), serialize.flush()]));
      await a.waitFor('T');
      expect(a.types()).toEqual(['1', 't', 'T']);
      a.socket.write(Buffer.concat([serialize.bind({ statement: 's1', values: ['5'] }), serialize.execute(), serialize.sync()]));
      await a.waitFor('Z');
      expect(a.types()).toEqual(['1', 't', 'T', '2', 'D', 'C', 'Z']);
      // A statement that fails inside a batch: the error, the rest skipped until Sync, then usable again.
      a.socket.write(
        Buffer.concat([
          serialize.parse({ text: 'SELECT * FROM no_such_table', types: [] }),
          serialize.bind({ values: [] }),
          serialize.execute(),
          serialize.sync(),
          serialize.parse({ text: 'SELECT 42 AS answer', types: [] }),
          serialize.bind({ values: [] }),
          serialize.execute(),
          serialize.sync(),
        ]),
      );
      for (let i = 0; i < 100 && a.types().filter((t) => t === 'Z').length < 3; i++) await sleep(20);
      expect(a.types().slice(7)).toEqual(['E', 'Z', '1', '2', 'D', 'C', 'Z']);
      expect(a.text()).toContain('no_such_table');
    } finally {
      a.socket.destroy();
    }
  });

  it('keeps a transaction to its connection while others query', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS spec_counter (n int)');
    const tx = await pool.connect();
    try {
      await tx.query('BEGIN');
      await tx.query('INSERT INTO spec_counter VALUES ($1)', [1]);
      const outside = pool.query('SELECT count(*)::int AS n FROM spec_counter WHERE n = $1', [1]);
      await tx.query('ROLLBACK');
      expect((await outside).rows[0].n).toBe(0);
    } finally {
      tx.release();
    }
  });
});
