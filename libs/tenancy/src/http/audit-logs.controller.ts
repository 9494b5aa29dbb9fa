import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx, RequirePermission, type CommandContext, type Page } from '@switchboard/platform';
import { ListAuditLogsQuery, type AuditLogView } from '../queries/list-audit-logs/list-audit-logs.query';
import { AuditLogPageResponse, AuditLogQueryDto } from './dto';

/** Read-only by design: no route changes or deletes an entry, and the database role cannot either. */
@ApiTags('Audit log')
@RequirePermission('audit:read')
@Controller('audit-logs')
export class AuditLogsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Who did what, newest first; filter by entity, actor, action and time' })
  @ApiOkResponse({ type: AuditLogPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: AuditLogQueryDto): Promise<Page<AuditLogView>> {
    return this.queries.execute(new ListAuditLogsQuery(ctx.tenantId, query));
  }
}
