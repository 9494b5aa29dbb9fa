import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from '../../repositories/execute';
import type { PolicyFields } from '../domain/sla-policy';
import type { TimelineEntry } from '../domain/sla-clock';
import { policiesSql, toPolicyView, toTimeline, type PolicyRow, type PolicyView, type TimelineRow } from './policies.sql';

/** SLA policies (SQL in `policies.sql.ts`) and the timelines their clocks replay; every method runs in the handler's transaction. */
@Injectable()
export class PoliciesRepository {
  async find(tx: TenantTx, id: string, lock = false): Promise<PolicyView | undefined> {
    const [row] = await execute<PolicyRow[]>(tx, policiesSql.find(tx.tenantId, id, lock));
    return row ? toPolicyView(row) : undefined;
  }
  async insert(tx: TenantTx, f: PolicyFields): Promise<PolicyView> {
    const [row] = await execute<PolicyRow[]>(tx, policiesSql.insert(tx.tenantId, f));
    return toPolicyView(row);
  }
  async update(tx: TenantTx, id: string, f: PolicyFields): Promise<PolicyView> {
    await execute(tx, policiesSql.update(tx.tenantId, id, f));
    return (await this.find(tx, id))!;
  }
  async softDelete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, policiesSql.softDelete(tx.tenantId, id));
  }
  async list(tx: TenantTx): Promise<PolicyView[]> {
    return (await execute<PolicyRow[]>(tx, policiesSql.list(tx.tenantId))).map(toPolicyView);
  }
  async nameTaken(tx: TenantTx, name: string, exceptId: string | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, policiesSql.nameTaken(tx.tenantId, name, exceptId))).length > 0;
  }
  /** A ticket's SLA timeline from its history: created, every status change, every public reply (agent or requester). */
  async timeline(tx: TenantTx, ticketId: string): Promise<TimelineEntry[]> {
    return toTimeline(await execute<TimelineRow[]>(tx, policiesSql.timeline(tx.tenantId, ticketId)));
  }
}
