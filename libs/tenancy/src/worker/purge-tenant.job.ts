import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, OnEventSelfAcknowledged, REDIS, TenantTransaction, type AppConfig, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import type { Redis } from 'ioredis';
import { AccessCache } from '../auth/access-cache';
import { TenancyQueue, TenantDeletionRequested } from '../tenancy.context';

const BATCH = 5_000;
/** Deleted last: while the deletion event is still in the outbox, the sweeper retries the purge. */
const PIPELINE_TABLES = ['outbox', 'event_receipts'];

/**
 * Deletes a tenant for good: every row with its tenant_id in every table (found in the catalog,
 * so tables added by later contexts are covered without touching this code), its files under
 * DATA_DIR/tenants/<id>, its Redis keys, users left with no tenant, and finally the tenant.
 * Every step is idempotent and batched, so a crash or restart resumes where it stopped. It writes
 * no receipt: the tenant's receipts and outbox rows are the last thing it deletes.
 */
@OnEventSelfAcknowledged(TenantDeletionRequested, { queue: TenancyQueue, job: 'tenancy.purge-tenant' })
export class PurgeTenantJob implements SelfAcknowledgingEventHandler<typeof TenantDeletionRequested> {
  private readonly logger = new Logger(PurgeTenantJob.name);

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessCache,
  ) {}

  async handle(event: EnvelopeOf<typeof TenantDeletionRequested>): Promise<void> {
    const tenantId = event.tenantId;
    const tenant: { status: string }[] = await this.tx.runAsSystem((m) => m.query(`SELECT status FROM tenants WHERE id = $1`, [tenantId]));
    if (tenant[0] && tenant[0].status !== 'deleting') {
      this.logger.warn({ tenantId }, 'Purge skipped: the tenant is no longer marked for deletion');
      return;
    }
    const users: { user_id: string }[] = await this.tx.runAsSystem((m) => m.query(`SELECT user_id FROM memberships WHERE tenant_id = $1`, [tenantId]));
    const tables = await this.tenantTables();
    const started = Date.now();
    const deleted = await this.deleteRows(tenantId, tables.filter((t) => t !== 'tenants' && !PIPELINE_TABLES.includes(t)));
    await rm(join(this.config.DATA_DIR, 'tenants', tenantId), { recursive: true, force: true });
    const keys = await this.deleteRedisKeys(tenantId);
    await this.tx.runAsSystem(async (m) => {
      await m.query(
        `DELETE FROM users u WHERE u.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`,
        [users.map((u) => u.user_id)],
      );
      await m.query(`DELETE FROM tenants WHERE id = $1`, [tenantId]);
    });
    // Its credentials stopped at the deletion request; this drops whatever any process still holds.
    await this.access.changed(tenantId);
    await this.deleteRows(tenantId, PIPELINE_TABLES);
    this.logger.log({ tenantId, slug: event.payload.slug, rows: deleted, redisKeys: keys, ms: Date.now() - started }, 'Tenant purged');
  }

  private async tenantTables(): Promise<string[]> {
    const rows: { table_name: string }[] = await this.tx.runAsSystem((m) =>
      m.query(
        `SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
          ORDER BY c.table_name`,
      ),
    );
    return rows.map((r) => r.table_name);
  }

  /**
   * Batches in their own short transactions. A table whose rows are still referenced by another
   * table's rows fails its batch; it is retried on the next pass, after its children are gone.
   */
  private async deleteRows(tenantId: string, tables: string[]): Promise<number> {
    let pending = [...tables];
    let total = 0;
    while (pending.length > 0) {
      const blocked: string[] = [];
      for (const table of pending) {
        try {
          for (;;) {
            const result: [unknown[], number] = await this.tx.runAsSystem((m) =>
              m.query(`DELETE FROM "${table}" WHERE ctid = ANY (ARRAY(SELECT ctid FROM "${table}" WHERE tenant_id = $1 LIMIT ${BATCH}))`, [tenantId]),
            );
            total += result[1];
            if (result[1] < BATCH) break;
          }
        } catch (error) {
          if ((error as { driverError?: { code?: string } }).driverError?.code !== '23503') throw error;
          blocked.push(table);
        }
      }
      if (blocked.length === pending.length) throw new Error(`Purge is stuck on references between ${blocked.join(', ')}`);
      pending = blocked;
    }
    return total;
  }

  private async deleteRedisKeys(tenantId: string): Promise<number> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.config.QUEUE_PREFIX}:*${tenantId}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) count += await this.redis.unlink(...keys);
    } while (cursor !== '0');
    return count;
  }
}
