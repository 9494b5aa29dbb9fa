import { Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, isCluster, OnEventSelfAcknowledged, primaries, REDIS, TenantFiles, TenantTransaction, type AppConfig, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import type { RedisClient } from '@switchboard/platform';
import { AccessCache } from '../auth/access-cache';
import { MembersRepository } from '../repositories/members.repository';
import { TenantDataRepository } from '../repositories/tenant-data.repository';
import { TenantsRepository } from '../repositories/tenants.repository';
import { UsersRepository } from '../repositories/users.repository';
import { TenancyQueue, TenantDeletionRequested } from '../tenancy.context';

const BATCH = 5_000;
/** Deleted last: while the deletion event is still in the outbox, the sweeper retries the purge. */
const PIPELINE_TABLES = ['outbox', 'event_receipts'];

/**
 * Deletes a tenant for good: every row with its tenant_id in every table (found in the catalog,
 * so tables added by later contexts are covered without touching this code), its files under
 * `tenants/<id>/` in the file store (local disk or object store), its Redis keys, users left with no tenant, and finally the tenant.
 * Every step is idempotent and batched, so a crash or restart resumes where it stopped. It writes
 * no receipt: the tenant's receipts and outbox rows are the last thing it deletes.
 */
@OnEventSelfAcknowledged(TenantDeletionRequested, { queue: TenancyQueue, job: 'tenancy.purge-tenant' })
export class PurgeTenantJob implements SelfAcknowledgingEventHandler<typeof TenantDeletionRequested> {
  private readonly logger = new Logger(PurgeTenantJob.name);

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly files: TenantFiles,
    private readonly access: AccessCache,
    private readonly tenants: TenantsRepository,
    private readonly members: MembersRepository,
    private readonly users: UsersRepository,
    private readonly tenantData: TenantDataRepository,
  ) {}

  async handle(event: EnvelopeOf<typeof TenantDeletionRequested>): Promise<void> {
    const tenantId = event.tenantId;
    const tenant = await this.tx.runAsSystem((m) => this.tenants.get(m, tenantId));
    if (tenant && tenant.status !== 'deleting') {
      this.logger.warn({ tenantId }, 'Purge skipped: the tenant is no longer marked for deletion');
      return;
    }
    const userIds = await this.tx.runAsSystem((m) => this.members.userIds(m, tenantId));
    const tables = await this.tx.runAsSystem((m) => this.tenantData.tables(m));
    const started = Date.now();
    const deleted = await this.deleteRows(tenantId, tables.filter((t) => t !== 'tenants' && !PIPELINE_TABLES.includes(t)));
    const files = await this.files.removeAll(tenantId);
    const keys = await this.deleteRedisKeys(tenantId);
    await this.tx.runAsSystem(async (m) => {
      await this.users.deleteWithoutTenant(m, userIds);
      await this.tenants.delete(m, tenantId);
    });
    // Its credentials stopped at the deletion request; this drops whatever any process still holds.
    await this.access.changed(tenantId);
    await this.deleteRows(tenantId, PIPELINE_TABLES);
    this.logger.log({ tenantId, slug: event.payload.slug, rows: deleted, files, redisKeys: keys, ms: Date.now() - started }, 'Tenant purged');
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
            const deleted = await this.tx.runAsSystem((m) => this.tenantData.deleteBatch(m, table, tenantId, BATCH));
            total += deleted;
            if (deleted < BATCH) break;
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

  /**
   * SCAN visits one server: on a Redis Cluster it runs on every primary, and each key is unlinked
   * on the node that holds it, one key per command (a multi-key UNLINK must stay within one slot).
   */
  private async deleteRedisKeys(tenantId: string): Promise<number> {
    const match = `${this.config.QUEUE_PREFIX}:*${tenantId}*`;
    const cluster = isCluster(this.redis);
    let count = 0;
    for (const node of primaries(this.redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 500);
        cursor = next;
        if (keys.length === 0) continue;
        if (!cluster) count += await node.unlink(...keys);
        else {
          const pipeline = node.pipeline();
          for (const key of keys) pipeline.unlink(key);
          for (const [error, removed] of (await pipeline.exec()) ?? []) {
            // A key that moved to another primary mid-purge (resharding) is left for the retry the failure causes.
            if (error) throw error;
            count += removed as number;
          }
        }
      } while (cursor !== '0');
    }
    return count;
  }
}
