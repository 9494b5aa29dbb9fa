import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, RequirePermission } from '@switchboard/platform';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { CSV_COLUMNS, csvRecord, decodeCursor, type ExportedTicketMetrics, type ExportFormat } from '../domain/metrics-export';
import { ExportTicketMetricsQuery } from '../queries/export-ticket-metrics/export-ticket-metrics.query';
import { ExportTicketMetricsQueryDto } from './reporting.dto';

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' };

/** Lines of one page: CSV records, or one JSON object per line. */
const encode = (format: ExportFormat, page: ExportedTicketMetrics[]) =>
  format === 'csv' ? stringify(page.map(csvRecord)) : page.map((row) => JSON.stringify(row)).join('\n') + '\n';

@ApiTags('Reports')
@Controller('reports/exports')
export class ReportExportsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('ticket-metrics')
  @RequirePermission('reports:read')
  @ApiOperation({
    summary: 'Every ticket’s metrics as CSV or NDJSON, streamed',
    description:
      'Streamed page by page with constant memory, oldest computation first. The `Export-Cursor` header gives the cursor of the next incremental pull: ' +
      'passing it back returns only the tickets whose figures were computed since, with a minute of overlap, so a ticket may come again — upsert by `ticket_id`. ' +
      'An export that fails after its first line ends without its final chunk, never as a shorter file that looks complete.',
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'The export; header `Export-Cursor` carries the next pull’s cursor' })
  async ticketMetrics(@Ctx() ctx: CommandContext, @Query() query: ExportTicketMetricsQueryDto, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const format = query.format ?? 'csv';
    const exported = await this.queries.execute(new ExportTicketMetricsQuery(ctx.tenantId, query.cursor ? decodeCursor(query.cursor) : null));
    const pages = exported.pages[Symbol.asyncIterator]();
    // The first page is read before the answer starts, so a failure there is still a problem+json.
    const first = await pages.next();
    async function* body(): AsyncGenerator<string> {
      if (format === 'csv') yield stringify([[...CSV_COLUMNS]]);
      if (!first.done) yield encode(format, first.value);
      for (let next = await pages.next(); !next.done; next = await pages.next()) yield encode(format, next.value);
    }
    res.setHeader('Export-Cursor', exported.nextCursor);
    res.setHeader('Cache-Control', 'no-store');
    // Nest cuts the connection when the stream fails after the first bytes (a chunked answer
    // without its last chunk is an error to every client), and logs the cause.
    return new StreamableFile(Readable.from(body()), { type: CONTENT_TYPES[format], disposition: `attachment; filename="ticket-metrics-${new Date().toISOString().slice(0, 10)}.${format}"` });
  }
}
