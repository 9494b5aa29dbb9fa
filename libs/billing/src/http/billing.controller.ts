import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, RequirePermission } from '@switchboard/platform';
import { OpenPortalCommand } from '../commands/open-portal/open-portal.command';
import { StartCheckoutCommand } from '../commands/start-checkout/start-checkout.command';
import type { Plan } from '../domain/plans';
import type { UsageReport } from '../domain/usage';
import { GetSubscriptionQuery, type SubscriptionStanding } from '../queries/get-subscription/get-subscription.query';
import { GetUsageQuery } from '../queries/get-usage/get-usage.query';
import { ListPlansQuery } from '../queries/list-plans/list-plans.query';
import { CheckoutDto, LinkResponse, PlanListResponse, SubscriptionResponse, UsageResponse } from './billing.dto';

/** The tenant's own plan, subscription and usage (owners and admins). */
@ApiTags('Billing')
@Controller('billing')
@RequirePermission('billing:manage')
export class BillingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('plans')
  @ApiOperation({ summary: 'The plans on sale and their entitlements' })
  @ApiOkResponse({ type: PlanListResponse })
  async plans(@Ctx() ctx: CommandContext): Promise<{ data: Plan[] }> {
    return { data: await this.queries.execute(new ListPlansQuery(ctx.tenantId)) };
  }

  @Get('subscription')
  @ApiOperation({ summary: 'The tenant’s plan, entitlements and subscription', description: '`limited: true` once the subscription has been past due, unpaid or canceled for longer than the grace period: reads still work, writes answer 402.' })
  @ApiOkResponse({ type: SubscriptionResponse })
  subscription(@Ctx() ctx: CommandContext): Promise<SubscriptionStanding> {
    return this.queries.execute(new GetSubscriptionQuery(ctx.tenantId));
  }

  @Post('checkout')
  @HttpCode(200)
  @ApiOperation({ summary: 'A Stripe Checkout link for a paid plan', description: 'Creates the tenant’s Stripe customer on first use. The subscription follows Stripe’s webhooks once paid.' })
  @ApiOkResponse({ type: LinkResponse })
  checkout(@Ctx() ctx: CommandContext, @Body() body: CheckoutDto): Promise<{ url: string }> {
    return this.commands.execute(new StartCheckoutCommand(ctx, body.plan));
  }

  @Post('portal')
  @HttpCode(200)
  @ApiOperation({ summary: 'A Stripe Customer Portal link', description: 'Payment methods, invoices, plan changes and cancellation; 409 before the first checkout.' })
  @ApiOkResponse({ type: LinkResponse })
  portal(@Ctx() ctx: CommandContext): Promise<{ url: string }> {
    return this.commands.execute(new OpenPortalCommand(ctx));
  }

  @Get('usage')
  @ApiOperation({ summary: 'Metered usage in the current billing period', description: 'API requests by endpoint group and AI tokens by model, in total, by category and per day (UTC), and stored bytes and seats now and at their high-water. API requests arrive about two minutes after they are made.' })
  @ApiOkResponse({ type: UsageResponse })
  usage(@Ctx() ctx: CommandContext): Promise<UsageReport> {
    return this.queries.execute(new GetUsageQuery(ctx.tenantId));
  }
}
