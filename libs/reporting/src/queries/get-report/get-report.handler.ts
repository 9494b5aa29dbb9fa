import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery, MemberNamesQuery } from '@switchboard/tenancy';
import { GroupNamesQuery } from '@switchboard/tickets';
import { REPORT_NAMES, type ReportResult } from '../../domain/report';
import { applyViewer } from '../../domain/report-access';
import { buildSeries, parseReportParams, periodsOf, REPORTS, unknownReport } from '../../domain/report-builder';
import { localDay } from '../../domain/rollup-spans';
import { RollupsRepository } from '../../repositories/rollups.repository';
import { GetReportQuery } from './get-report.query';

/** Answers a report from the daily rollups only, in one short read. */
@QueryHandler(GetReportQuery)
export class GetReportHandler implements IQueryHandler<GetReportQuery, ReportResult> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly rollups: RollupsRepository,
  ) {}

  async execute({ tenantId, params }: GetReportQuery): Promise<ReportResult> {
    if (!(REPORT_NAMES as readonly string[]).includes(params.report)) throw unknownReport(params.report);
    const tenant = await this.queries.execute(new GetTenantQuery(tenantId));
    const { report, viewer, ...query } = params;
    const parsed = applyViewer(parseReportParams(report, query, localDay(Date.now(), tenant.timezone)), viewer);
    const definition = REPORTS[parsed.report];
    const filter = { tenantId, from: parsed.from, to: parsed.to, interval: parsed.interval, groupBy: parsed.groupBy, groupId: parsed.groupId, agentId: parsed.agentId };
    const { rows, computedAt } = await this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => ({
      rows: [
        ...(await this.rollups.aggregate(tx, filter, definition.metrics, definition.percentiles ?? false)),
        ...(definition.backlog ? await this.rollups.backlog(tx, filter, periodsOf(parsed.from, parsed.to, parsed.interval)) : []),
      ],
      computedAt: await this.rollups.computedAt(tx, parsed.from, parsed.to),
    }));
    const { series, currency } = buildSeries(parsed, rows, await this.labels(tenantId, parsed.groupBy));
    return {
      report: parsed.report,
      title: definition.title,
      timeZone: tenant.timezone,
      from: parsed.from,
      to: parsed.to,
      interval: parsed.interval,
      groupBy: parsed.groupBy,
      filters: { groupId: parsed.groupId, agentId: parsed.agentId },
      currency,
      series,
      computedAt,
    };
  }

  /** Grouped by agent or group, series are labelled with names (ids only of people or groups since deleted). */
  private async labels(tenantId: string, groupBy: ReportResult['groupBy']): Promise<((value: string) => string) | undefined> {
    if (groupBy !== 'agent' && groupBy !== 'group') return undefined;
    const names: Record<string, string> = await this.queries.execute(groupBy === 'agent' ? new MemberNamesQuery(tenantId) : new GroupNamesQuery(tenantId));
    const none = groupBy === 'agent' ? 'Unassigned' : 'No group';
    return (value) => (value === '' ? none : (names[value] ?? value));
  }
}
