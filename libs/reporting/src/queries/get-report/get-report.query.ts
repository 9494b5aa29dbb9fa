import { Query } from '@nestjs/cqrs';
import type { ReportResult } from '../../domain/report';

/**
 * What a caller asks of a report: the raw request values (checked by the handler: unknown report →
 * 404, bad values → 400) and who asks (agent-level figures are for owners and admins; an agent
 * sees only their own).
 */
export interface GetReportParams {
  report: string;
  /** Local dates `YYYY-MM-DD`, inclusive; by default the last 30 days up to today in the tenant's zone. */
  from?: string;
  to?: string;
  interval?: string;
  groupBy?: string;
  groupId?: string;
  agentId?: string;
  /** The caller: a user's role and id; none for API keys and the system (every figure). */
  viewer?: { userId: string | null; role: string | undefined } | null;
}

/** A report's series from the daily rollups (ADR 0059), in the tenant's time zone. */
export class GetReportQuery extends Query<ReportResult> {
  constructor(
    readonly tenantId: string,
    readonly params: GetReportParams,
  ) {
    super();
  }
}
