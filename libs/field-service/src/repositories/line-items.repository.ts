import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { PricedLine } from '../domain/pricing';
import { execute } from './execute';
import { lineItemsSql, toLineItemView, type LineItemRow, type LineItemView } from './line-items.sql';

/** A job's line items (SQL in `line-items.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class LineItemsRepository {
  async ofJob(tx: TenantTx, jobId: string): Promise<LineItemView[]> {
    return (await execute<LineItemRow[]>(tx, lineItemsSql.ofJob(tx.tenantId, jobId))).map(toLineItemView);
  }

  async count(tx: TenantTx, jobId: string): Promise<number> {
    const [row] = await execute<{ n: number }[]>(tx, lineItemsSql.count(tx.tenantId, jobId));
    return row.n;
  }

  async insert(tx: TenantTx, jobId: string, line: PricedLine): Promise<LineItemView> {
    const [row] = await execute<LineItemRow[]>(tx, lineItemsSql.insert(tx.tenantId, jobId, line, tx.context.actorId));
    return toLineItemView(row);
  }

  async remove(tx: TenantTx, jobId: string, id: string): Promise<LineItemView | undefined> {
    const [row] = await execute<LineItemRow[]>(tx, lineItemsSql.remove(tx.tenantId, jobId, id));
    return row ? toLineItemView(row) : undefined;
  }
}
