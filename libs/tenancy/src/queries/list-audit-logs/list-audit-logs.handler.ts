import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { AuditLogsRepository } from '../../repositories/audit-logs.repository';
import { ListAuditLogsQuery, type AuditLogView } from './list-audit-logs.query';

@QueryHandler(ListAuditLogsQuery)
export class ListAuditLogsHandler implements IQueryHandler<ListAuditLogsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly auditLogs: AuditLogsRepository,
  ) {}

  execute({ tenantId, filter }: ListAuditLogsQuery): Promise<Page<AuditLogView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) =>
      toPage(await this.auditLogs.list(tx, filter), filter.limit, (e) => [e.createdAt, e.id]),
    );
  }
}
