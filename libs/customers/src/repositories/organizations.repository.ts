import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import {
  findOrganization,
  insertOrganization,
  listOrganizations,
  organizationExists,
  softDeleteOrganization,
  updateOrganization,
  type OrganizationProfile,
  type OrganizationView,
} from './organizations.sql';

/** Organizations (SQL in `organizations.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class OrganizationsRepository {
  find(tx: TenantTx, organizationId: string): Promise<OrganizationView | undefined> {
    return findOrganization(tx.manager, tx.tenantId, organizationId);
  }

  /** Locked for the rest of the transaction; undefined when missing or deleted. */
  findForUpdate(tx: TenantTx, organizationId: string): Promise<OrganizationView | undefined> {
    return findOrganization(tx.manager, tx.tenantId, organizationId, true);
  }

  exists(tx: TenantTx, organizationId: string): Promise<boolean> {
    return organizationExists(tx.manager, tx.tenantId, organizationId);
  }

  list(tx: TenantTx, filter: { q?: string; limit: number; cursor?: string }): Promise<OrganizationView[]> {
    return listOrganizations(tx.manager, tx.tenantId, filter);
  }

  insert(tx: TenantTx, profile: OrganizationProfile): Promise<OrganizationView> {
    return insertOrganization(tx.manager, tx.tenantId, profile);
  }

  update(tx: TenantTx, organizationId: string, profile: OrganizationProfile): Promise<OrganizationView> {
    return updateOrganization(tx.manager, tx.tenantId, organizationId, profile);
  }

  /** Soft delete; the name it had, or undefined when there was no such organization. */
  softDelete(tx: TenantTx, organizationId: string): Promise<{ name: string } | undefined> {
    return softDeleteOrganization(tx.manager, tx.tenantId, organizationId);
  }
}
