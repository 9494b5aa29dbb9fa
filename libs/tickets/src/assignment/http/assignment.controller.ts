import { Body, Controller, Get, Headers, Param, Patch, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { SaveAssignmentPolicyCommand } from '../commands/save-assignment-policy/save-assignment-policy.command';
import type { AssignmentOverview } from '../domain/assignment-view';
import { GetGroupAssignmentQuery } from '../queries/get-group-assignment/get-group-assignment.query';
import { AssignmentResponse, UpdateAssignmentPolicyDto } from './assignment.dto';

/** A group's assignment policy, and where its members stand (load, capacity, presence). */
@ApiTags('Ticket groups')
@Controller('groups/:id/assignment')
export class AssignmentController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'A group’s assignment policy and its members’ load, capacity, presence and eligibility' })
  @ApiOkResponse({ type: AssignmentResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<AssignmentOverview> {
    const overview = await this.queries.execute(new GetGroupAssignmentQuery(ctx.tenantId, id));
    res.setHeader('ETag', etagOf(overview.version));
    return overview;
  }

  @Patch()
  @RequirePermission('tickets:configure')
  @ApiOperation({
    summary: 'Change a group’s assignment policy',
    description:
      'Mode (also the group’s `assignmentPolicy`), default capacity and members’ own capacities; only what is sent changes. A capacity for a non-member is a 422; with a stale If-Match, 412. Waiting tickets are handed out right after.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read of the assignment' })
  @ApiOkResponse({ type: AssignmentResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateAssignmentPolicyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssignmentOverview> {
    await this.commands.execute(new SaveAssignmentPolicyCommand(ctx, id, body, parseIfMatch(ifMatch)));
    return this.get(ctx, id, res);
  }
}
