import { Controller, Get, Param, Query, Req, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, RequirePermission, type SwitchboardRequest } from '@switchboard/platform';
import { stringify } from 'csv-stringify/sync';
import { Readable } from 'node:stream';
import { REPORT_NAMES, type ReportResult } from '../domain/report';
import { REPORT_CSV_COLUMNS, reportCsvRecord, reportRows } from '../domain/report-export';
import { GetReportQuery, type GetReportParams } from '../queries/get-report/get-report.query';
import { ReportExportQueryDto, ReportQueryDto, ReportResponse } from './reports.dto';

const CONTENT_TYPES = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' } as const;
const EXPORT_CHUNK = 500;

@ApiTags('Reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':report')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'A dashboard report: series per day, week or month in the tenant’s time zone, from the daily rollups',
    description:
      'Counts add up over a period; ratios are recomputed from their counts, percentiles from the days’ values (exact). ' +
      'Figures follow ticket changes within seconds (`computedAt`; consoles get `report.rollups_updated`). Figures by agent are for owners and admins; an agent sees their own.',
  })
  @ApiParam({ name: 'report', enum: REPORT_NAMES })
  @ApiOkResponse({ type: ReportResponse })
  @ApiBadRequestResponse({ description: 'Bad dates, interval, grouping or ids (problem+json naming the field)' })
  @ApiForbiddenResponse({ description: 'Another agent’s figures (problem+json)' })
  @ApiNotFoundResponse({ description: 'No such report (problem+json)' })
  report(@Ctx() ctx: CommandContext, @Param('report') report: string, @Query() query: ReportQueryDto, @Req() req: SwitchboardRequest): Promise<ReportResult> {
    return this.queries.execute(new GetReportQuery(ctx.tenantId, this.params(report, query, req)));
  }

  @Get(':report/export')
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'The same report as rows (period, series, dimension, value), CSV or NDJSON, streamed' })
  @ApiParam({ name: 'report', enum: REPORT_NAMES })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'One line per point of every series, by period' })
  @ApiBadRequestResponse({ description: 'Bad dates, interval, grouping, ids or format (problem+json)' })
  @ApiNotFoundResponse({ description: 'No such report (problem+json)' })
  async export(@Ctx() ctx: CommandContext, @Param('report') report: string, @Query() query: ReportExportQueryDto, @Req() req: SwitchboardRequest): Promise<StreamableFile> {
    const { format = 'csv', ...rest } = query;
    // The report is read before the answer starts, so any failure is still a problem+json.
    const result = await this.queries.execute(new GetReportQuery(ctx.tenantId, this.params(report, rest, req)));
    const rows = reportRows(result);
    function* body(): Generator<string> {
      if (format === 'csv') yield stringify([[...REPORT_CSV_COLUMNS]]);
      for (let i = 0; i < rows.length; i += EXPORT_CHUNK) {
        const chunk = rows.slice(i, i + EXPORT_CHUNK);
        yield format === 'csv' ? stringify(chunk.map(reportCsvRecord)) : chunk.map((r) => JSON.stringify(r)).join('\n') + '\n';
      }
    }
    req.res?.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(Readable.from(body()), { type: CONTENT_TYPES[format], disposition: `attachment; filename="${result.report}-${result.from}-${result.to}.${format}"` });
  }

  private params(report: string, query: ReportQueryDto, req: SwitchboardRequest): GetReportParams {
    const principal = req.principal;
    const viewer = principal?.kind === 'user' ? { userId: principal.id, role: principal.role } : null;
    const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    return { ...given, report, viewer };
  }
}
