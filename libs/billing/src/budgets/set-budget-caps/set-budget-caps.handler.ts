import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { BudgetCapsChanged } from '../../billing.context';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { budgetLines, capsAboveCeiling } from '../budget-caps';
import { BudgetCapsRepository } from '../budget-caps.repository';
import { BudgetCaps } from '../budget-caps.service';
import { GetBudgetCapsQuery, type BudgetCapsView } from '../get-budget-caps/get-budget-caps.query';
import { SetBudgetCapsCommand } from './set-budget-caps.command';

@CommandHandler(SetBudgetCapsCommand)
export class SetBudgetCapsHandler implements ICommandHandler<SetBudgetCapsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BudgetCapsRepository,
    private readonly billing: TenantBilling,
    private readonly caps: BudgetCaps,
    private readonly queries: QueryBus,
  ) {}

  async execute({ context, by, change, version }: SetBudgetCapsCommand): Promise<BudgetCapsView> {
    const { plan } = await this.billing.current(context.tenantId);
    await this.tx.run(context, async (tx) => {
      const before = await this.repository.lock(tx);
      if (version !== null && version !== before.version) {
        throw new ProblemException({ status: 409, type: 'version-conflict', title: 'Conflict', detail: `The budget caps are at version ${before.version}, not ${version}: read them again and retry.`, extensions: { currentVersion: before.version } });
      }
      const pick = (field: 'aiSpendCents' | 'apiRequests', current: number | null) => (change[field] === undefined ? current : change[field]);
      if (by === 'tenant') {
        const requested = { aiSpendCents: pick('aiSpendCents', before.aiSpendCents), apiRequests: pick('apiRequests', before.apiRequests) };
        const errors = capsAboveCeiling(change, budgetLines(before, plan));
        if (errors.length > 0) {
          throw new ProblemException({ status: 422, type: 'budget-cap-above-limit', title: 'Unprocessable Content', detail: `A cap is above what the ${plan.name} plan allows: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors, extensions: { plan: plan.name } });
        }
        await this.repository.saveTenantCaps(tx, requested.aiSpendCents, requested.apiRequests);
        await tx.audit({ action: 'billing.budget_caps_changed', entityType: 'billing_budget', entityId: context.tenantId, before: { aiSpendCents: before.aiSpendCents, apiRequests: before.apiRequests }, after: requested });
        await tx.emit(BudgetCapsChanged.of(context.tenantId, { by, ...requested }));
      } else {
        const requested = { aiSpendCents: pick('aiSpendCents', before.overrideAiSpendCents), apiRequests: pick('apiRequests', before.overrideApiRequests) };
        await this.repository.saveOverrides(tx, requested.aiSpendCents, requested.apiRequests);
        await tx.audit({ action: 'billing.budget_caps_overridden', entityType: 'billing_budget', entityId: context.tenantId, before: { aiSpendCents: before.overrideAiSpendCents, apiRequests: before.overrideApiRequests }, after: requested });
        await tx.emit(BudgetCapsChanged.of(context.tenantId, { by, ...requested }));
      }
    });
    await this.caps.changed(context.tenantId);
    return this.queries.execute(new GetBudgetCapsQuery(context.tenantId));
  }
}
