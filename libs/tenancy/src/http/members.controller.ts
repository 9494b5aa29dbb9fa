import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, RequirePermission, type SwitchboardRequest } from '@switchboard/platform';
import { ChangeMemberRoleCommand } from '../commands/change-member-role/change-member-role.command';
import { RemoveMemberCommand } from '../commands/remove-member/remove-member.command';
import { RevokeMemberSessionsCommand } from '../commands/revoke-member-sessions/revoke-member-sessions.command';
import { ListMembersQuery } from '../queries/list-members/list-members.query';
import type { MemberView } from '../repositories/members.sql';
import { ChangeRoleDto, MemberResponse } from './dto';
import { RevokedSessionsResponse } from './two-factor.dto';

@ApiTags('Members')
@Controller('members')
export class MembersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequirePermission('members:read')
  @ApiOperation({ summary: 'List the tenant’s members and their roles' })
  @ApiOkResponse({ type: [MemberResponse] })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: MemberView[] }> {
    return { data: await this.queries.execute(new ListMembersQuery(ctx.tenantId)) };
  }

  @Patch(':id')
  @RequirePermission('members:manage')
  @ApiOperation({ summary: 'Change a member’s role (only owners grant or take away owner; the last owner stays)' })
  @ApiOkResponse({ type: MemberResponse })
  changeRole(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string, @Body() body: ChangeRoleDto): Promise<MemberView> {
    return this.commands.execute(new ChangeMemberRoleCommand(ctx, req.principal?.role, id, body.role));
  }

  @Delete(':id')
  @RequirePermission('members:manage')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member; their sessions in this tenant end at once' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new RemoveMemberCommand(ctx, req.principal?.role, id));
  }

  @Delete(':id/sessions')
  @RequirePermission('members:manage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Owners: end every session of a member in this tenant (access tokens stop at once, console sockets close)' })
  @ApiOkResponse({ type: RevokedSessionsResponse })
  revokeSessions(@Ctx() ctx: CommandContext, @Req() req: SwitchboardRequest, @Param('id', ParseUuidPipe) id: string): Promise<{ revoked: number }> {
    return this.commands.execute(new RevokeMemberSessionsCommand(ctx, req.principal?.role, id));
  }
}
