import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';

export interface AuditLogFilter {
  entityType?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface AuditLogView {
  id: string;
  actorType: string;
  actorId: string | null;
  impersonatorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, { from?: unknown; to?: unknown }>;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

export class ListAuditLogsQuery extends Query<Page<AuditLogView>> {
  constructor(
    readonly tenantId: string,
    readonly filter: AuditLogFilter,
  ) {
    super();
  }
}
