import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { operatorContextOf, ParseUuidPipe, PlatformAdmin, type SwitchboardRequest } from '@switchboard/platform';
import { RebuildMetricsCommand } from '../commands/rebuild-metrics/rebuild-metrics.command';
import { GetMetricsRebuildQuery } from '../queries/get-metrics-rebuild/get-metrics-rebuild.query';
import type { RebuildView } from '../repositories/rebuilds.sql';
import { RebuildResponse } from './reporting.dto';

@ApiTags('Platform admin')
@PlatformAdmin()
@Controller('admin/tenants')
export class AdminReportingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post(':id/reporting/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild the tenant’s ticket metrics from its tickets’ history', description: 'In batches on the worker, resumable; a new request supersedes a running rebuild. Progress: GET the same address.' })
  @ApiAcceptedResponse({ type: RebuildResponse })
  @ApiNotFoundResponse({ description: 'No such tenant (problem+json)' })
  rebuild(@Param('id', ParseUuidPipe) id: string, @Req() req: SwitchboardRequest): Promise<RebuildView> {
    return this.commands.execute(new RebuildMetricsCommand(operatorContextOf(req, id)));
  }

  @Get(':id/reporting/rebuild')
  @ApiOperation({ summary: 'The tenant’s latest metrics rebuild and its progress' })
  @ApiOkResponse({ type: RebuildResponse })
  @ApiNotFoundResponse({ description: 'No such tenant, or no rebuild requested yet (problem+json)' })
  progress(@Param('id', ParseUuidPipe) id: string): Promise<RebuildView> {
    return this.queries.execute(new GetMetricsRebuildQuery(id));
  }
}
