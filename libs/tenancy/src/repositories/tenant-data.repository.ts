import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { deleteTenantRowsBatch, tablesWithTenantRows } from './tenant-data.sql';

/** Every table's rows of one tenant, for the purge (system work: RLS does not apply). */
@Injectable()
export class TenantDataRepository {
  tables(m: EntityManager): Promise<string[]> {
    return tablesWithTenantRows(m);
  }

  deleteBatch(m: EntityManager, table: string, tenantId: string, batch: number): Promise<number> {
    return deleteTenantRowsBatch(m, table, tenantId, batch);
  }
}
