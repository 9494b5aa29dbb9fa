import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { ServicesRepository } from '../../repositories/services.repository';
import type { ServiceView } from '../../repositories/services.sql';
import { ListServicesQuery } from './list-services.query';

/** The catalog (deleted services left out), oldest first. */
@QueryHandler(ListServicesQuery)
export class ListServicesHandler implements IQueryHandler<ListServicesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly services: ServicesRepository,
  ) {}

  execute({ tenantId, page }: ListServicesQuery): Promise<Page<ServiceView>> {
    const after = page.cursor ? (decodeCursor(page.cursor, 2) as [string, string]) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows = await this.services.list(tx, { limit: page.limit, after, active: page.active });
      return toPage(rows, page.limit, (s) => [s.createdAt, s.id]);
    });
  }
}
