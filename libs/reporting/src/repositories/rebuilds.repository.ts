import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { run } from './metrics.repository';
import { rebuildsSql, type RebuildRow } from './rebuilds.sql';

/** The tenant's metrics rebuild (SQL in `rebuilds.sql.ts`). */
@Injectable()
export class RebuildsRepository {
  async find(tx: TenantTx, lock = false): Promise<RebuildRow | undefined> {
    const [row] = await run<RebuildRow>(tx, rebuildsSql.find(tx.tenantId, lock));
    return row;
  }

  async start(tx: TenantTx): Promise<RebuildRow> {
    const [row] = await run<RebuildRow>(tx, rebuildsSql.start(tx.tenantId));
    return row!;
  }

  /** Records a committed batch; `after` null marks the rebuild done. */
  async progress(tx: TenantTx, after: string | null, read: number): Promise<RebuildRow> {
    const [row] = await run<RebuildRow>(tx, rebuildsSql.progress(tx.tenantId, after, read));
    return row!;
  }
}
