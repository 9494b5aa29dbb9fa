import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import {
  deleteTenant,
  findActiveTenantBySlug,
  findTenant,
  findTenantWithUser,
  insertTenant,
  listTenants,
  setTenantStatus,
  updateTenantProfile,
  type PublicTenantRow,
  type TenantProfile,
  type TenantStatus,
  type TenantView,
} from './tenants.sql';

/**
 * The tenants aggregate's statements (SQL in `tenants.sql.ts`). Methods taking a TenantTx act on
 * that transaction's tenant (handlers run them privileged: tenants are platform rows); methods
 * taking an EntityManager are system work across tenants.
 */
@Injectable()
export class TenantsRepository {
  find(tx: TenantTx): Promise<TenantView | undefined> {
    return findTenant(tx.manager, tx.tenantId);
  }

  /** Locked for the rest of the transaction. */
  findForUpdate(tx: TenantTx): Promise<TenantView | undefined> {
    return findTenant(tx.manager, tx.tenantId, true);
  }

  /** Creates the tenant with the transaction's tenant id. */
  insert(tx: TenantTx, input: TenantProfile & { slug: string }): Promise<TenantView> {
    return insertTenant(tx.manager, tx.tenantId, input);
  }

  updateProfile(tx: TenantTx, profile: TenantProfile): Promise<TenantView> {
    return updateTenantProfile(tx.manager, tx.tenantId, profile);
  }

  setStatus(tx: TenantTx, status: TenantStatus): Promise<TenantView> {
    return setTenantStatus(tx.manager, tx.tenantId, status);
  }

  findWithUser(tx: TenantTx, userId: string | null): ReturnType<typeof findTenantWithUser> {
    return findTenantWithUser(tx.manager, tx.tenantId, userId);
  }

  get(m: EntityManager, tenantId: string): Promise<TenantView | undefined> {
    return findTenant(m, tenantId);
  }

  list(m: EntityManager, filter: { limit: number; cursor?: string; status?: TenantStatus }): Promise<TenantView[]> {
    return listTenants(m, filter);
  }

  findActiveBySlug(m: EntityManager, slug: string): Promise<PublicTenantRow | undefined> {
    return findActiveTenantBySlug(m, slug);
  }

  delete(m: EntityManager, tenantId: string): Promise<void> {
    return deleteTenant(m, tenantId);
  }
}
