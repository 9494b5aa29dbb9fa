import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { DeletePolicyCommand } from '../commands/delete-policy/delete-policy.command';
import { SavePolicyCommand } from '../commands/save-policy/save-policy.command';
import { ExplainTicketSlaQuery, type TicketSla } from '../queries/explain-ticket-sla/explain-ticket-sla.query';
import { ListPoliciesQuery } from '../queries/list-policies/list-policies.query';
import type { PolicyView } from '../repositories/policies.sql';
import { CreatePolicyDto, PolicyListResponse, PolicyResponse, TicketSlaResponse, UpdatePolicyDto } from './policies.dto';

const withEtag = (res: Response, policy: PolicyView) => {
  res.setHeader('ETag', etagOf(policy.version));
  return policy;
};

/** SLA policies (owners and admins set them up) and a ticket's SLA explained. */
@ApiTags('SLA')
@Controller()
export class PoliciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('sla-policies')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create an SLA policy', description: 'Targets per priority for first reply, next reply, periodic update and resolution, in business or calendar time. 422 names the target or reference at fault.' })
  @ApiCreatedResponse({ type: PolicyResponse })
  async create(@Ctx() ctx: CommandContext, @Body() body: CreatePolicyDto, @Res({ passthrough: true }) res: Response): Promise<PolicyView> {
    const policy = await this.commands.execute(new SavePolicyCommand(ctx, null, body));
    res.setHeader('Location', `/v1/sla-policies/${policy.id}`);
    return withEtag(res, policy);
  }

  @Get('sla-policies')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The tenant’s SLA policies, in the order they are tried' })
  @ApiOkResponse({ type: PolicyListResponse })
  async list(@Ctx() ctx: CommandContext): Promise<{ data: PolicyView[] }> {
    return { data: await this.queries.execute(new ListPoliciesQuery(ctx.tenantId)) };
  }

  @Get('sla-policies/:id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get an SLA policy' })
  @ApiOkResponse({ type: PolicyResponse })
  async get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<PolicyView> {
    return withEtag(res, (await this.queries.execute(new ListPoliciesQuery(ctx.tenantId, id)))[0]!);
  }

  @Patch('sla-policies/:id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change an SLA policy', description: 'What the body names replaces what the policy had; open tickets follow at once. With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag from your last read' })
  @ApiOkResponse({ type: PolicyResponse })
  async update(
    @Ctx() ctx: CommandContext,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdatePolicyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PolicyView> {
    return withEtag(res, await this.commands.execute(new SavePolicyCommand(ctx, id, body, parseIfMatch(ifMatch))));
  }

  @Delete('sla-policies/:id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete an SLA policy', description: 'The next policy whose conditions hold applies to its tickets from then on.' })
  @ApiNoContentResponse()
  async remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new DeletePolicyCommand(ctx, id));
  }

  @Get('tickets/:id/sla')
  @RequirePermission('tickets:read')
  @ApiOperation({
    summary: 'A ticket’s SLA, explained',
    description: 'The policy that applies now, each target’s clock (business or calendar minutes counted, pauses, deadline, fulfilled or breached) and the metric events behind them, replayed from the ticket’s history.',
  })
  @ApiOkResponse({ type: TicketSlaResponse })
  explain(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<TicketSla> {
    return this.queries.execute(new ExplainTicketSlaQuery(ctx.tenantId, id));
  }
}
