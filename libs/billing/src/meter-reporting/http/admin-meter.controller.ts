import { Body, Controller, Get, Param, Put, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { operatorContextOf, type Page, ParseUuidPipe, PlatformAdmin, type SwitchboardRequest } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { GetBudgetCapsQuery, type BudgetCapsView } from '../../budgets/get-budget-caps/get-budget-caps.query';
import { BudgetCapsDto, BudgetCapsResponse } from '../../budgets/http/budget-caps.dto';
import { SetBudgetCapsCommand } from '../../budgets/set-budget-caps/set-budget-caps.command';
import { ListMeterReportsQuery, type MeterReportView } from '../list-meter-reports/list-meter-reports.query';
import { ListReconciliationsQuery, type ReconciliationView } from '../list-reconciliations/list-reconciliations.query';
import { MeterReportListResponse, MeterReportsQueryDto, ReconciliationPageResponse, ReconciliationQueryDto } from './meter.dto';

/** Operators: usage reported to Stripe, its reconciliation, and tenants' budget limits. */
@ApiTags('Platform admin')
@PlatformAdmin()
@Controller('admin')
export class AdminMeterController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('billing/reconciliation')
  @ApiOperation({ summary: 'Our usage against Stripe’s meters, per tenant, current period and category, latest check first', description: 'Filled by the hourly reconciliation (schedule `billing.meter-reconciliation`); `/metrics` carries the sums (`billing_meter_difference`, `billing_meter_unexplained`).' })
  @ApiOkResponse({ type: ReconciliationPageResponse })
  reconciliation(@Query() query: ReconciliationQueryDto): Promise<Page<ReconciliationView>> {
    return this.queries.execute(new ListReconciliationsQuery(query.limit, query.cursor, query.differencesOnly ?? false, query.tenantId ?? null));
  }

  @Get('tenants/:id/meter-reports')
  @ApiOperation({ summary: 'A tenant’s meter events for Stripe, newest first, with their delivery state' })
  @ApiOkResponse({ type: MeterReportListResponse })
  async reports(@Param('id', ParseUuidPipe) id: string, @Query() query: MeterReportsQueryDto): Promise<{ data: MeterReportView[] }> {
    await this.queries.execute(new GetTenantQuery(id)); // 404 for an unknown tenant
    return { data: await this.queries.execute(new ListMeterReportsQuery(id, query.limit)) };
  }

  @Get('tenants/:id/budget-caps')
  @ApiOperation({ summary: 'A tenant’s budget caps and the operator’s limits' })
  @ApiOkResponse({ type: BudgetCapsResponse })
  async caps(@Param('id', ParseUuidPipe) id: string): Promise<BudgetCapsView> {
    await this.queries.execute(new GetTenantQuery(id));
    return this.queries.execute(new GetBudgetCapsQuery(id));
  }

  @Put('tenants/:id/budget-caps')
  @ApiOperation({ summary: 'Override the plan’s limit of a tenant’s budget caps (audited)', description: 'A number replaces the plan’s limit as the ceiling of the tenant’s caps (higher or lower), null returns to the plan’s, absent keeps it. The tighter of the tenant’s cap and this limit is enforced.' })
  @ApiOkResponse({ type: BudgetCapsResponse })
  async override(@Param('id', ParseUuidPipe) id: string, @Body() body: BudgetCapsDto, @Req() req: SwitchboardRequest): Promise<BudgetCapsView> {
    await this.queries.execute(new GetTenantQuery(id));
    return this.commands.execute(new SetBudgetCapsCommand(operatorContextOf(req, id), 'operator', body));
  }
}
