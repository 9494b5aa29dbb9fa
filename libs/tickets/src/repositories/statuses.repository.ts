import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { statusesSql, toStatusView, type StatusFields, type StatusRow, type StatusView } from './statuses.sql';

/** The tenant's custom ticket statuses (SQL in `statuses.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class StatusesRepository {
  async find(tx: TenantTx, id: string, lock = false): Promise<StatusView | undefined> {
    const [row] = await execute<StatusRow[]>(tx, statusesSql.find(tx.tenantId, id, lock));
    return row ? toStatusView(row) : undefined;
  }
  async insert(tx: TenantTx, f: StatusFields): Promise<StatusView> {
    const [row] = await execute<StatusRow[]>(tx, statusesSql.insert(tx.tenantId, f));
    return toStatusView(row);
  }
  async update(tx: TenantTx, id: string, f: StatusFields): Promise<StatusView> {
    await execute(tx, statusesSql.update(tx.tenantId, id, f));
    return (await this.find(tx, id))!;
  }
  async delete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, statusesSql.delete(tx.tenantId, id));
  }
  async list(tx: TenantTx): Promise<StatusView[]> {
    return (await execute<StatusRow[]>(tx, statusesSql.list(tx.tenantId))).map(toStatusView);
  }
  async labelTaken(tx: TenantTx, label: string, exceptId: string | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, statusesSql.labelTaken(tx.tenantId, label, exceptId))).length > 0;
  }
  async ticketsUsing(tx: TenantTx, id: string): Promise<number> {
    const [{ n }] = await execute<{ n: number }[]>(tx, statusesSql.ticketsUsing(tx.tenantId, id));
    return n;
  }
  async count(tx: TenantTx): Promise<number> {
    const [{ n }] = await execute<{ n: number }[]>(tx, statusesSql.count(tx.tenantId));
    return n;
  }
}
