import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { DataSource } from 'typeorm';
import type * as Options from '../../libs/platform/src/database/data-source-options';
import type * as Pipelined from '../../libs/platform/src/database/pipelined-transaction';
import { TenantTransaction } from '../../libs/platform/src/database/tenant-transaction';

// The compiled modules, as the apps run them (the data source options locate dist/migrations).
const load = createRequire(import.meta.url);
const { buildDataSourceOptions } = load('../../dist/libs/platform/src/database/data-source-options.js') as typeof Options;
const { runPipelinedTransaction, runStatementBatch } = load('../../dist/libs/platform/src/database/pipelined-transaction.js') as typeof Pipelined;

/**
 * The pipelined transaction every tenant transaction runs on: BEGIN and the opening statements go
 * out with the work's first statement, yet it keeps all-or-nothing semantics.
 */
describe('pipelined transaction', () => {
  const table = `pipeline_check_${randomBytes(4).toString('hex')}`;
  let dataSource: DataSource;
  const count = async () => Number((await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    const options = buildDataSourceOptions({ DATABASE_URL: process.env.E2E_DATABASE_URL!, DATABASE_POOL_SIZE: 2 });
    // Other test files share the embedded server, which serves one session at a time: one seeding
    // thousands of rows in a transaction can hold a new connection past the apps' 10 s.
    Object.assign((options as { extra: Record<string, unknown> }).extra, { connectionTimeoutMillis: 120_000 });
    dataSource = new DataSource(options);
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE ${table} (label text NOT NULL)`);
  });

  afterAll(async () => {
    await dataSource.query(`DROP TABLE IF EXISTS ${table}`);
    await dataSource.destroy();
  });

  beforeEach(() => dataSource.query(`TRUNCATE ${table}`));

  it('commits the work, with the opening statements in effect from its first statement', async () => {
    const seen = await runPipelinedTransaction(dataSource, [{ sql: `SELECT set_config('app.tenant_id', $1, true)`, params: ['pinned'] }], async (manager) => {
      await manager.query(`INSERT INTO ${table} (label) VALUES ('a'), ('b')`);
      return (await manager.query(`SELECT current_setting('app.tenant_id') AS v`))[0].v as string;
    });
    expect(seen).toBe('pinned');
    expect(await count()).toBe(2);
    // Local to the transaction: the next one on the same pool does not inherit it.
    expect((await dataSource.query(`SELECT current_setting('app.tenant_id', true) AS v`))[0].v ?? '').toBe('');
  });

  it('rolls everything back when the work fails', async () => {
    await expect(
      runPipelinedTransaction(dataSource, [], async (manager) => {
        await manager.query(`INSERT INTO ${table} (label) VALUES ('a')`);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await count()).toBe(0);
  });

  it('reports a failed opening statement, and the work sent behind it does not persist', async () => {
    await expect(
      runPipelinedTransaction(dataSource, [{ sql: `SELECT set_config('role', $1, true)`, params: ['no_such_role'] }], async (manager) => {
        await manager.query(`INSERT INTO ${table} (label) VALUES ('a')`);
      }),
    ).rejects.toThrow(/no_such_role/);
    expect(await count()).toBe(0);
  });

  it('turns a transaction TypeORM opens inside the work into a savepoint, not a commit of its own', async () => {
    await expect(
      runPipelinedTransaction(dataSource, [], async (manager) => {
        await manager.transaction(async (inner) => inner.query(`INSERT INTO ${table} (label) VALUES ('inner')`));
        throw new Error('failed after the inner block');
      }),
    ).rejects.toThrow('failed after the inner block');
    expect(await count()).toBe(0);
  });

  describe('reads sent in one batch (the knowledge-base search)', () => {
    it('returns each read\'s rows with the opening statements in effect, in one transaction', async () => {
      await dataSource.query(`INSERT INTO ${table} (label) VALUES ('a'), ('b')`);
      const [, setting, labels, sameTransaction] = await runStatementBatch(dataSource, [
        { sql: `SELECT set_config('app.tenant_id', $1, true), set_config('hnsw.ef_search', $2, true)`, params: ['pinned', '77'] },
        { sql: `SELECT current_setting('app.tenant_id') AS tenant, current_setting('hnsw.ef_search') AS ef, now()::text AS started` },
        { sql: `SELECT label FROM ${table} ORDER BY label` },
        { sql: `SELECT now()::text AS started, txid_current_if_assigned() IS NULL AS read_only` },
      ]);
      const [first] = setting as { tenant: string; ef: string; started: string }[];
      expect(first).toMatchObject({ tenant: 'pinned', ef: '77' });
      expect(labels).toEqual([{ label: 'a' }, { label: 'b' }]);
      // One transaction: now() is its start, the same for the first and the last read.
      expect(sameTransaction).toEqual([{ started: first.started, read_only: true }]);
      expect((await dataSource.query(`SELECT current_setting('app.tenant_id', true) AS v`))[0].v ?? '').toBe('');
    });

    it('reports the first failing statement and leaves the connection usable, with nothing open', async () => {
      await expect(
        runStatementBatch(dataSource, [{ sql: `SELECT set_config('role', $1, true)`, params: ['no_such_role'] }, { sql: `SELECT 1 AS one` }]),
      ).rejects.toThrow(/no_such_role/);
      await expect(runStatementBatch(dataSource, [{ sql: `SELECT * FROM no_such_table_${table}` }, { sql: `SELECT 1 AS one` }])).rejects.toThrow(/no_such_table/);
      // Both pool connections are back, outside any transaction.
      const again = await Promise.all([runStatementBatch(dataSource, [{ sql: `SELECT 1 AS one` }]), runStatementBatch(dataSource, [{ sql: `SELECT 2 AS two` }])]);
      expect(again).toEqual([[[{ one: 1 }]], [[{ two: 2 }]]]);
    });
  });
  describe('a batch sent with its COMMIT', () => {
    it('commits every statement and returns their rows in order, the opening statements in effect', async () => {
      const results = await runStatementBatch(dataSource, [
        { sql: `SELECT set_config('app.tenant_id', $1, true)`, params: ['pinned'] },
        { sql: `INSERT INTO ${table} (label) VALUES ($1), ($2) RETURNING label`, params: ['a', 'b'] },
        { sql: `SELECT current_setting('app.tenant_id') AS v, count(*)::int AS n FROM ${table}` },
      ]);
      expect(results).toHaveLength(3);
      expect(results[1]).toEqual([{ label: 'a' }, { label: 'b' }]);
      expect(results[2]).toEqual([{ v: 'pinned', n: 2 }]);
      expect(await count()).toBe(2);
      expect((await dataSource.query(`SELECT current_setting('app.tenant_id', true) AS v`))[0].v ?? '').toBe('');
    });

    it('rolls back the statements before and after a failing one, and reports that one', async () => {
      const failure = await runStatementBatch(dataSource, [
        { sql: `INSERT INTO ${table} (label) VALUES ('before')` },
        { sql: `INSERT INTO ${table} (label) VALUES (NULL)` },
        { sql: `INSERT INTO ${table} (label) VALUES ('after')` },
      ]).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as { driverError?: { code?: string } }).driverError?.code).toBe('23502');
      expect(String((failure as { query?: string }).query)).toContain('VALUES (NULL)');
      expect(await count()).toBe(0);
      // The pool's connection is usable afterwards, outside any transaction.
      expect((await dataSource.query(`SELECT 1 AS one`))[0].one).toBe(1);
    });
  });

  it('runs a tenant batch as the application role with the tenant pinned, so row-level security applies', async () => {
    const published: unknown[] = [];
    const tenants = new TenantTransaction(dataSource, { isActive: () => false } as never, { publishAll: (events: unknown[]) => published.push(...events) } as never, {
      DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 10_000,
      DATABASE_POOL_SIZE: 10,
      DATABASE_TENANT_CONCURRENCY: 4,
      DATABASE_TENANT_WAIT_MS: 2_000,
    } as never);
    await tenants.onModuleInit();
    const tenantId = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
    const context = { tenantId, actorId: null, correlationId: null };
    const [who] = await tenants.runBatch(context, [{ sql: `SELECT current_user AS role, current_setting('app.tenant_id') AS tenant, current_setting('statement_timeout') AS limit` }]);
    expect(who).toEqual([{ role: 'switchboard_app', tenant: tenantId, limit: '30s' }]);
    const other = '00000000-0000-4000-8000-000000000001';
    const refused = await tenants.runBatch(context, [{ sql: `INSERT INTO ai_usage_months (tenant_id, month) VALUES ($1, date_trunc('month', now())::date)`, params: [other] }]).catch((e: unknown) => e);
    expect((refused as { driverError?: { code?: string } }).driverError?.code).toBe('42501');
    expect(published).toEqual([]);
    await expect(tenants.runBatch({ ...context, tenantId: "x', true); SELECT ('" }, [])).rejects.toThrow(/needs a tenant id/);
  });
});
