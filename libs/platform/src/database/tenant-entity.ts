import { randomUUID } from 'node:crypto';
import { CreateDateColumn, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * Columns every tenant-owned row has. The key is (tenant_id, id) so children can reference
 * parents by both and never point into another tenant, and tables can be distributed by tenant.
 */
export abstract class TenantEntity {
  @PrimaryColumn('uuid', { name: 'tenant_id' })
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
