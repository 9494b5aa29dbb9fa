import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { operatorContextOf, type Page, ParseUuidPipe, PlatformAdmin, type SwitchboardRequest } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { ChangePlanCommand } from '../commands/change-plan/change-plan.command';
import { GrantCreditsCommand } from '../commands/grant-credits/grant-credits.command';
import { GetSubscriptionQuery, type SubscriptionStanding } from '../queries/get-subscription/get-subscription.query';
import { ListSubscriptionsQuery, type TenantSubscription } from '../queries/list-subscriptions/list-subscriptions.query';
import { ChangePlanDto, CreditGrantResponse, GrantCreditsDto, SubscriptionListQueryDto, SubscriptionPageResponse, SubscriptionResponse } from './billing.dto';

@ApiTags('Platform admin')
@PlatformAdmin()
@Controller('admin')
export class AdminBillingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('subscriptions')
  @ApiOperation({ summary: 'Every tenant’s subscription, most recently changed first', description: 'Tenants still on the implicit default trial have no row and are not listed.' })
  @ApiOkResponse({ type: SubscriptionPageResponse })
  list(@Query() query: SubscriptionListQueryDto): Promise<Page<TenantSubscription>> {
    return this.queries.execute(new ListSubscriptionsQuery(query.limit, query.cursor, query.status));
  }

  @Get('tenants/:id/subscription')
  @ApiOperation({ summary: 'A tenant’s subscription' })
  @ApiOkResponse({ type: SubscriptionResponse })
  async get(@Param('id', ParseUuidPipe) id: string): Promise<SubscriptionStanding> {
    await this.queries.execute(new GetTenantQuery(id)); // 404 for an unknown tenant
    return this.queries.execute(new GetSubscriptionQuery(id));
  }

  @Put('tenants/:id/subscription')
  @ApiOperation({ summary: 'Put a tenant on a plan by hand (audited)', description: 'For deals made outside Stripe and support fixes; a later Stripe event for the tenant’s subscription still applies.' })
  @ApiOkResponse({ type: SubscriptionResponse })
  async change(@Param('id', ParseUuidPipe) id: string, @Body() body: ChangePlanDto, @Req() req: SwitchboardRequest): Promise<SubscriptionStanding> {
    await this.queries.execute(new GetTenantQuery(id));
    await this.commands.execute(new ChangePlanCommand(operatorContextOf(req, id), body.plan, body.status));
    return this.queries.execute(new GetSubscriptionQuery(id));
  }

  @Post('tenants/:id/credits')
  @HttpCode(201)
  @ApiOperation({ summary: 'Grant a tenant credit (audited)' })
  @ApiCreatedResponse({ type: CreditGrantResponse })
  async grant(@Param('id', ParseUuidPipe) id: string, @Body() body: GrantCreditsDto, @Req() req: SwitchboardRequest): Promise<{ grantId: string; balanceCents: number }> {
    await this.queries.execute(new GetTenantQuery(id));
    return this.commands.execute(new GrantCreditsCommand(operatorContextOf(req, id), body.amountCents, body.reason));
  }
}
