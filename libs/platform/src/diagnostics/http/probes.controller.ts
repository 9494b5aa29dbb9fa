import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SYSTEM_TENANT_ID } from '../../database/data-source-options';
import { operatorContextOf } from '../../http/command-context.decorator';
import { PageQueryDto } from '../../http/pagination';
import { ParseUuidPipe } from '../../http/parse-uuid.pipe';
import { PlatformAdmin } from '../../http/platform-admin.guard';
import type { SwitchboardRequest } from '../../http/request-context';
import { RequestProbeCommand } from '../commands/request-probe/request-probe.command';
import { GetProbeQuery } from '../queries/get-probe/get-probe.query';
import { ListProbesQuery } from '../queries/list-probes/list-probes.query';
import { CreateProbeDto, ProbePageResponse, ProbeResponse } from './probe.dto';

@ApiTags('Platform admin')
@PlatformAdmin()
@Controller('admin/probes')
export class ProbesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Send a probe through outbox, relay, queue and worker', description: 'Poll the probe until it is consumed to check the event pipeline end to end.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first response for 24 h' })
  @ApiCreatedResponse({ type: ProbeResponse })
  async create(@Body() body: CreateProbeDto, @Req() req: SwitchboardRequest): Promise<ProbeResponse> {
    const probe = await this.commands.execute(
      new RequestProbeCommand(
        operatorContextOf(req, SYSTEM_TENANT_ID),
        body.note ?? null,
      ),
    );
    return ProbeResponse.from(probe);
  }

  @Get()
  @ApiOperation({ summary: 'List probes, newest first' })
  @ApiOkResponse({ type: ProbePageResponse })
  async list(@Query() page: PageQueryDto): Promise<ProbePageResponse> {
    const result = await this.queries.execute(new ListProbesQuery(SYSTEM_TENANT_ID, page));
    return { data: result.data.map(ProbeResponse.from), nextCursor: result.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a probe' })
  @ApiOkResponse({ type: ProbeResponse })
  @ApiNotFoundResponse({ description: 'No such probe (problem+json)' })
  async get(@Param('id', ParseUuidPipe) id: string): Promise<ProbeResponse> {
    return ProbeResponse.from(await this.queries.execute(new GetProbeQuery(SYSTEM_TENANT_ID, id)));
  }
}
