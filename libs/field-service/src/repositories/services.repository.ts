import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { servicesSql, toServiceView, type ServiceFields, type ServiceRow, type ServiceView } from './services.sql';

/** The service catalog (SQL in `services.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class ServicesRepository {
  async find(tx: TenantTx, id: string, opts: { lock?: boolean; live?: boolean } = {}): Promise<ServiceView | undefined> {
    const [row] = await execute<ServiceRow[]>(tx, servicesSql.find(tx.tenantId, id, opts));
    return row ? toServiceView(row) : undefined;
  }

  async insert(tx: TenantTx, fields: ServiceFields): Promise<ServiceView> {
    const [row] = await execute<ServiceRow[]>(tx, servicesSql.insert(tx.tenantId, fields));
    return toServiceView(row);
  }

  async update(tx: TenantTx, id: string, fields: ServiceFields): Promise<ServiceView> {
    const [row] = await execute<ServiceRow[]>(tx, servicesSql.update(tx.tenantId, id, fields));
    return toServiceView(row);
  }

  async softDelete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, servicesSql.softDelete(tx.tenantId, id));
  }

  async list(tx: TenantTx, page: { limit: number; after?: [string, string]; active?: boolean }): Promise<ServiceView[]> {
    return (await execute<ServiceRow[]>(tx, servicesSql.list(tx.tenantId, page))).map(toServiceView);
  }
}
