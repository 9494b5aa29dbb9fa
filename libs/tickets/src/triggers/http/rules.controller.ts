import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Put, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, etagOf, parseIfMatch, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { ManageRuleCommand } from '../commands/manage-rule/manage-rule.command';
import { ReorderRulesCommand } from '../commands/reorder-rules/reorder-rules.command';
import { RunAutomationsCommand, type AutomationsRun } from '../commands/run-automations/run-automations.command';
import type { RuleKind } from '../domain/rules';
import { DryRunTriggersQuery, type DryRunResult } from '../queries/dry-run-triggers/dry-run-triggers.query';
import { ListRulesQuery } from '../queries/list-rules/list-rules.query';
import type { RuleView } from '../repositories/rules.sql';
import { AUTOMATION_BATCH } from '../worker/run-automations.job';
import { AutomationsRunResponse, CreateRuleDto, DryRunDto, DryRunResponse, ReorderRulesDto, RuleListResponse, RuleResponse, RunAutomationsDto, UpdateRuleDto } from './rules.dto';

const withEtag = (res: Response, rule: RuleView) => {
  res.setHeader('ETag', etagOf(rule.version));
  return rule;
};

/** The routes triggers and automations share, for one kind. */
class RuleRoutes {
  constructor(
    private readonly kind: RuleKind,
    private readonly path: string,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}
  async create(ctx: CommandContext, body: CreateRuleDto, res: Response): Promise<RuleView> {
    const rule = (await this.commands.execute(new ManageRuleCommand(ctx, this.kind, { op: 'create', input: body })))!;
    res.setHeader('Location', `/v1/${this.path}/${rule.id}`);
    return withEtag(res, rule);
  }
  async list(ctx: CommandContext): Promise<{ data: RuleView[] }> {
    return { data: await this.queries.execute(new ListRulesQuery(ctx.tenantId, this.kind)) };
  }
  async get(ctx: CommandContext, id: string, res: Response): Promise<RuleView> {
    return withEtag(res, (await this.queries.execute(new ListRulesQuery(ctx.tenantId, this.kind, id)))[0]!);
  }
  async update(ctx: CommandContext, id: string, body: UpdateRuleDto, ifMatch: string | undefined, res: Response): Promise<RuleView> {
    return withEtag(res, (await this.commands.execute(new ManageRuleCommand(ctx, this.kind, { op: 'update', id, input: body, expectedVersion: parseIfMatch(ifMatch) })))!);
  }
  async remove(ctx: CommandContext, id: string): Promise<void> {
    await this.commands.execute(new ManageRuleCommand(ctx, this.kind, { op: 'delete', id }));
  }
  async reorder(ctx: CommandContext, body: ReorderRulesDto): Promise<{ data: RuleView[] }> {
    return { data: await this.commands.execute(new ReorderRulesCommand(ctx, this.kind, body.ids)) };
  }
}

/** Triggers: ordered rules run with every ticket update (ADR 0046); owners and admins keep them, and try them with a dry run. */
@ApiTags('Triggers')
@Controller()
export class TriggersController {
  private readonly routes: RuleRoutes;
  constructor(
    commands: CommandBus,
    private readonly queries: QueryBus,
  ) {
    this.routes = new RuleRoutes('trigger', 'triggers', commands, queries);
  }

  @Post('triggers')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create a trigger', description: 'Conditions and actions are checked when saved: 422 names the one at fault; 409 for a name in use.' })
  @ApiCreatedResponse({ type: RuleResponse })
  create(@Ctx() ctx: CommandContext, @Body() body: CreateRuleDto, @Res({ passthrough: true }) res: Response): Promise<RuleView> {
    return this.routes.create(ctx, body, res);
  }

  @Get('triggers')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The tenant’s triggers, in the order they run' })
  @ApiOkResponse({ type: RuleListResponse })
  list(@Ctx() ctx: CommandContext): Promise<{ data: RuleView[] }> {
    return this.routes.list(ctx);
  }

  @Put('triggers/order')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Reorder the triggers', description: 'Send every live trigger id once, in the order they should run.' })
  @ApiOkResponse({ type: RuleListResponse })
  reorder(@Ctx() ctx: CommandContext, @Body() body: ReorderRulesDto): Promise<{ data: RuleView[] }> {
    return this.routes.reorder(ctx, body);
  }

  @Post('triggers/dry-run')
  @HttpCode(200)
  @RequirePermission('tickets:configure')
  @ApiOperation({
    summary: 'Which triggers a change would fire, and what each would change',
    description: 'Carries out the proposed change and the triggers (the saved ones, or the unsaved `rules` sent) in a transaction that is rolled back: nothing is written, nothing is sent.',
  })
  @ApiOkResponse({ type: DryRunResponse })
  dryRun(@Ctx() ctx: CommandContext, @Body() body: DryRunDto): Promise<DryRunResult> {
    const message = body.message ? { body: body.message.body, visibility: body.message.visibility, author: body.message.author ?? 'agent' } : undefined;
    return this.queries.execute(new DryRunTriggersQuery(ctx, body.ticketId, { changes: { ...body.changes }, message }, body.rules ?? null));
  }

  @Get('triggers/:id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get a trigger' })
  @ApiOkResponse({ type: RuleResponse })
  get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<RuleView> {
    return this.routes.get(ctx, id, res);
  }

  @Patch('triggers/:id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change a trigger', description: 'What the body names replaces what it had; the version counts up. With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: RuleResponse })
  update(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: UpdateRuleDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<RuleView> {
    return this.routes.update(ctx, id, body, ifMatch, res);
  }

  @Delete('triggers/:id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete a trigger', description: 'Tickets’ history keeps naming it.' })
  @ApiNoContentResponse()
  remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.routes.remove(ctx, id);
  }
}

/** Time-based automations: evaluated by a scheduled job every 5 minutes in bounded batches (ADR 0046). */
@ApiTags('Triggers')
@Controller()
export class AutomationsController {
  private readonly routes: RuleRoutes;
  constructor(
    private readonly commands: CommandBus,
    queries: QueryBus,
  ) {
    this.routes = new RuleRoutes('automation', 'automations', commands, queries);
  }

  @Post('automations')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Create an automation', description: 'Needs an hours_since condition; acts once per ticket and state.' })
  @ApiCreatedResponse({ type: RuleResponse })
  create(@Ctx() ctx: CommandContext, @Body() body: CreateRuleDto, @Res({ passthrough: true }) res: Response): Promise<RuleView> {
    return this.routes.create(ctx, body, res);
  }

  @Get('automations')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'The tenant’s automations, in the order they run' })
  @ApiOkResponse({ type: RuleListResponse })
  list(@Ctx() ctx: CommandContext): Promise<{ data: RuleView[] }> {
    return this.routes.list(ctx);
  }

  @Put('automations/order')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Reorder the automations' })
  @ApiOkResponse({ type: RuleListResponse })
  reorder(@Ctx() ctx: CommandContext, @Body() body: ReorderRulesDto): Promise<{ data: RuleView[] }> {
    return this.routes.reorder(ctx, body);
  }

  @Post('automations/run')
  @HttpCode(200)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Run the automations now', description: 'One bounded run for this tenant, as the schedule does every 5 minutes; the next run resumes where a capped one stopped.' })
  @ApiOkResponse({ type: AutomationsRunResponse })
  run(@Ctx() ctx: CommandContext, @Body() body: RunAutomationsDto): Promise<AutomationsRun> {
    return this.commands.execute(new RunAutomationsCommand(ctx, body.limit ?? AUTOMATION_BATCH));
  }

  @Get('automations/:id')
  @RequirePermission('tickets:read')
  @ApiOperation({ summary: 'Get an automation' })
  @ApiOkResponse({ type: RuleResponse })
  get(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<RuleView> {
    return this.routes.get(ctx, id, res);
  }

  @Patch('automations/:id')
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Change an automation', description: 'With a stale If-Match: 412.' })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiOkResponse({ type: RuleResponse })
  update(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string, @Body() body: UpdateRuleDto, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response): Promise<RuleView> {
    return this.routes.update(ctx, id, body, ifMatch, res);
  }

  @Delete('automations/:id')
  @HttpCode(204)
  @RequirePermission('tickets:configure')
  @ApiOperation({ summary: 'Delete an automation' })
  @ApiNoContentResponse()
  remove(@Ctx() ctx: CommandContext, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    return this.routes.remove(ctx, id);
  }
}
