import { createHash } from 'node:crypto';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, RequirePermission, type SwitchboardRequest } from '@switchboard/platform';
import type { Response } from 'express';
import { ChartCache } from '../charts/chart-cache';
import { renderSvg } from '../charts/chart-renderer';
import { CHART_LIMITS, reportChartSpec } from '../charts/report-chart-spec';
import { REPORT_NAMES } from '../domain/report';
import { GetReportQuery, type GetReportParams } from '../queries/get-report/get-report.query';
import { ReportChartQueryDto } from './report-charts.dto';

/** Long enough for a dashboard's repeated loads, short enough that the next rollup shows soon. */
const CACHE_CONTROL = 'private, max-age=60';

@ApiTags('Reports')
@Controller('reports')
export class ReportChartsController {
  /** Per api process: the consoles of a tenant refreshing after one rollup ask for the same pictures. */
  private readonly rendered = new ChartCache();

  constructor(private readonly queries: QueryBus) {}

  @Get(':report/chart.svg')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'The report drawn as a chart: a self-contained SVG (Vega-Lite, rendered on the server)',
    description:
      'The same query as the report, plus the drawing’s `width` and `height` in pixels. A line per series for levels, times and ratios, bars for counts; ' +
      'units on the y axis, the tenant’s days on x. No scripts, fonts or links to fetch: fit for an <img>, a mail or a document. ' +
      '`ETag` changes with the figures; `If-None-Match` answers 304.',
  })
  @ApiParam({ name: 'report', enum: REPORT_NAMES })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The chart', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ description: 'Bad dates, interval, grouping, ids, width or height (problem+json)' })
  @ApiForbiddenResponse({ description: 'Another agent’s figures (problem+json)' })
  @ApiNotFoundResponse({ description: 'No such report (problem+json)' })
  async chart(@Ctx() ctx: CommandContext, @Param('report') report: string, @Query() query: ReportChartQueryDto, @Req() req: SwitchboardRequest, @Res() res: Response): Promise<void> {
    const { width = CHART_LIMITS.width.default, height = CHART_LIMITS.height.default, ...rest } = query;
    const result = await this.queries.execute(new GetReportQuery(ctx.tenantId, reportParams(report, rest, req)));
    const spec = reportChartSpec(result, { width, height });
    // The spec holds every figure and label drawn, so it identifies the picture without drawing it.
    const hash = createHash('sha256').update(JSON.stringify(spec)).digest('base64url').slice(0, 32);
    const etag = `"${hash}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', CACHE_CONTROL);
    res.setHeader('Vary', 'Authorization');
    if (ifNoneMatch(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
    let svg = this.rendered.get(hash);
    if (svg === undefined) {
      svg = await renderSvg(spec);
      this.rendered.set(hash, svg);
    }
    res.status(200).type('image/svg+xml; charset=utf-8').send(svg);
  }
}

/** As the report's own route: the query's values, and the caller (agent-level figures are for owners and admins). */
function reportParams(report: string, query: Omit<ReportChartQueryDto, 'width' | 'height'>, req: SwitchboardRequest): GetReportParams {
  const principal = req.principal;
  const viewer = principal?.kind === 'user' ? { userId: principal.id, role: principal.role } : null;
  const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  return { ...given, report, viewer };
}

function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
}
