import { Body, Controller, Get, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, RequirePermission } from '@switchboard/platform';
import { SetDigestSettingsCommand } from '../commands/set-digest-settings/set-digest-settings.command';
import { GetDigestSettingsQuery } from '../queries/get-digest-settings/get-digest-settings.query';
import type { DigestSettingsView } from '../repositories/digests.sql';
import { DigestSettingsResponse, SetDigestSettingsDto } from './report-digest.dto';

@ApiTags('Reports')
@Controller('report-digest')
export class ReportDigestController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequirePermission('reports:read')
  @ApiOperation({ summary: 'The weekly report digest: on or off, and the last week it went out for' })
  @ApiOkResponse({ type: DigestSettingsResponse })
  get(@Ctx() ctx: CommandContext): Promise<DigestSettingsView> {
    return this.queries.execute(new GetDigestSettingsQuery(ctx.tenantId));
  }

  @Put()
  @RequirePermission('tenant:manage')
  @ApiOperation({
    summary: 'Turn the weekly report digest on or off',
    description: 'Every Monday from 07:00 in the tenant’s time zone, owners and admins get last week’s key figures and the volume chart by mail. On by default.',
  })
  @ApiOkResponse({ type: DigestSettingsResponse })
  set(@Ctx() ctx: CommandContext, @Body() body: SetDigestSettingsDto): Promise<DigestSettingsView> {
    return this.commands.execute(new SetDigestSettingsCommand(ctx, body.weeklyEnabled));
  }
}
