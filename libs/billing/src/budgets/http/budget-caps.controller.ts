import { Body, Controller, Get, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, RequirePermission } from '@switchboard/platform';
import { GetBudgetCapsQuery, type BudgetCapsView } from '../get-budget-caps/get-budget-caps.query';
import { SetBudgetCapsCommand } from '../set-budget-caps/set-budget-caps.command';
import { BudgetCapsResponse, SetBudgetCapsDto } from './budget-caps.dto';

/** The tenant's own budget caps (owners and admins). */
@ApiTags('Billing')
@Controller('billing/budget-caps')
@RequirePermission('billing:manage')
export class BudgetCapsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Budget caps on AI spend and API requests, with the period’s usage against them' })
  @ApiOkResponse({ type: BudgetCapsResponse })
  get(@Ctx() ctx: CommandContext): Promise<BudgetCapsView> {
    return this.queries.execute(new GetBudgetCapsQuery(ctx.tenantId));
  }

  @Put()
  @ApiOperation({
    summary: 'Set budget caps (audited)',
    description:
      'Within the plan’s limit (or the operator’s): 422 `budget-cap-above-limit` above it. At the warning share owners and admins get one mail per period and category (`billing.budget_warning`); at the cap, AI calls answer 402 `ai-budget-exceeded` and other API requests 429 `api-request-budget-exhausted` until the period ends.',
  })
  @ApiOkResponse({ type: BudgetCapsResponse })
  set(@Ctx() ctx: CommandContext, @Body() body: SetBudgetCapsDto): Promise<BudgetCapsView> {
    const { version, ...change } = body;
    return this.commands.execute(new SetBudgetCapsCommand(ctx, 'tenant', change, version ?? null));
  }
}
