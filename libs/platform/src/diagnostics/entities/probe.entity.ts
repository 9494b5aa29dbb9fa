import { Column, Entity } from 'typeorm';
import { TenantEntity } from '../../database/tenant-entity';

/**
 * A pipeline probe: a request whose event must travel outbox → relay → queue → worker and be
 * consumed exactly once. Operators use it to check a deployment end to end.
 */
@Entity('probes')
export class Probe extends TenantEntity {
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;

  @Column({ name: 'consumption_count', type: 'int', default: 0 })
  consumptionCount: number;

  static request(tenantId: string, note: string | null): Probe {
    const probe = new Probe();
    probe.tenantId = tenantId;
    probe.note = note;
    probe.consumptionCount = 0;
    probe.consumedAt = null;
    return probe;
  }
}
