import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, type Page, PageQueryDto, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { ChangeGroupMembershipCommand } from '../commands/change-group-membership/change-group-membership.command';
import { CreateGroupCommand } from '../commands/create-group/create-group.command';
import { DeleteGroupCommand } from '../commands/delete-group/delete-group.command';
import { UpdateGroupCommand } from '../commands/update-group/update-group.command';
import { GetGroupQuery } from '../queries/get-group/get-group.query';
import { ListGroupMembersQuery } from '../queries/list-group-members/list-group-members.query';
import { ListGroupsQuery } from '../queries/list-groups/list-groups.query';
import type { GroupMemberView, GroupView } from '../repositories/groups.sql';
import { CreateGroupDto, GroupListQueryDto, GroupMemberPageResponse, GroupPageResponse, GroupResponse, UpdateGroupDto } from './groups.dto';

const withEtag = (res: Response, group: GroupView) => {
  res.setHeader('ETag', etagOf(group.version));
  return group;
};

/** Ticket groups (queues of work) and their members. Everyone who reads tickets reads groups; owners and admins set them up. */
@ApiTags('Ticket groups')
@Controller('groups')
export class GroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create a ticket group', description: 'Names are unique in a tenant, ignoring case (409). Every AI assist is allowed unless aiAssists switches it off.' })
  @ApiCreatedResponse({ type: GroupResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreateGroupDto, @Res({ passthrough: true }) res: Response): Promise<GroupView> {
    const group = await this.commands.execute(new CreateGroupCommand(ctx, body));
    res.setHeader('Location', `/v1/groups/${group.id}`);
    return withEtag(res, group);
  }

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'List ticket groups by name', description: '`memberId=me` lists the caller’s own groups.' })
  @ApiOkResponse({ type: GroupPageResponse })
  list(@Ctx() ctx: CommandContext, @Query() query: GroupListQueryDto): Promise<Page<GroupView>> {
    const memberId = query.memberId === 'me' ? (ctx.actorId ?? undefined) : query.memberId;
    return this.queries.execute(new ListGroupsQuery(ctx.tenantId, { limit: query.limit, cursor: query.cursor, memberId }));
  }

  @Get(':id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a ticket group' })
  @ApiOkResponse({ type: GroupResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<GroupView> {
    return withEtag(res, await this.queries.execute(new GetGroupQuery(ctx.tenantId, id)));
  }

  @Patch(':id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a group’s profile', description: 'With a stale If-Match: 412, and nothing changes. aiAssists changes only the assists it names.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: GroupResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateGroupDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GroupView> {
    return withEtag(res, await this.commands.execute(new UpdateGroupCommand(ctx, id, body, parseIfMatch(ifMatch))));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a group', description: 'Only a group without unsolved tickets (409 says how many to move). Solved and closed tickets keep naming it.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeleteGroupCommand(ctx, id));
  }

  @Get(':id/members')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'A group’s members, in the order they joined' })
  @ApiOkResponse({ type: GroupMemberPageResponse })
  members(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Query() query: PageQueryDto): Promise<Page<GroupMemberView>> {
    return this.queries.execute(new ListGroupMembersQuery(ctx.tenantId, id, { limit: query.limit, cursor: query.cursor }));
  }

  @Put(':id/members/:userId')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Add a member to a group', description: 'An owner, admin or agent of the tenant (422 otherwise). Adding a member twice changes nothing.' })
  @ApiNoContentResponse()
  async addMember(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('userId', ParseUuidPipe) userId: string): Promise<void> {
    await this.commands.execute(new ChangeGroupMembershipCommand(ctx, id, userId, 'add'));
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Remove a member from a group', description: 'Their tickets stay assigned to them. Removing a non-member changes nothing.' })
  @ApiNoContentResponse()
  async removeMember(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Param('userId', ParseUuidPipe) userId: string): Promise<void> {
    await this.commands.execute(new ChangeGroupMembershipCommand(ctx, id, userId, 'remove'));
  }
}
