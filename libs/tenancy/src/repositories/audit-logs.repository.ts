import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { AuditLogFilter, AuditLogView } from '../queries/list-audit-logs/list-audit-logs.query';
import { listAuditLogs } from './audit-logs.sql';

/** Reads the audit log (entries are written by `TenantTx.audit` in the transaction of the change). */
@Injectable()
export class AuditLogsRepository {
  list(tx: TenantTx, filter: AuditLogFilter): Promise<AuditLogView[]> {
    return listAuditLogs(tx.manager, tx.tenantId, filter);
  }
}
