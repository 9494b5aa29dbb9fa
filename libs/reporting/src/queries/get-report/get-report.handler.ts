import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
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
    const { series, currency } = buildSeries(parsed, rows);
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
}
