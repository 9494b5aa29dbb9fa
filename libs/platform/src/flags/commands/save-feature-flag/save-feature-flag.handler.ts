import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '../../../database/tenant-transaction';
import { staleVersion } from '../../../http/if-match';
import { ProblemException } from '../../../http/problem';
import { ContextRegistry } from '../../../registry/context-registry';
import type { FlagRule } from '../../feature-flag';
import { FeatureFlags } from '../../feature-flags';
import { flagRuleForUpdate, upsertFlagRule } from '../../feature-flags.sql';
import { SaveFeatureFlagCommand } from './save-feature-flag.command';

/** What the audit entry compares. */
export const auditedRule = (r: FlagRule | undefined) =>
  r ? { kind: r.kind, enabled: r.enabled, percentage: r.percentage, rolloutBy: r.rolloutBy, allowTenants: r.allowTenants, allowUsers: r.allowUsers, plans: r.plans, tenantOverrides: r.tenantOverrides, expiresAt: r.expiresAt } : null;

export const undeclaredFlag = (name: string) =>
  new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: `No registered context declares a feature flag named "${name}".` });

@CommandHandler(SaveFeatureFlagCommand)
export class SaveFeatureFlagHandler implements ICommandHandler<SaveFeatureFlagCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly registry: ContextRegistry,
    private readonly flags: FeatureFlags,
  ) {}

  async execute({ context, name, input, expectedVersion }: SaveFeatureFlagCommand): Promise<FlagRule> {
    if (!this.registry.featureFlag(name)) throw undeclaredFlag(name);
    if (input.kind === 'plan') await this.checkPlans(input.plans);
    const saved = await this.tx.runPrivileged(context, async (tx) => {
      const before = await flagRuleForUpdate(tx.manager, name);
      if (expectedVersion !== null && expectedVersion !== (before?.version ?? 0)) throw staleVersion('feature flag', expectedVersion, before?.version ?? 0);
      const after = await upsertFlagRule(tx.manager, name, input, context.actorId);
      await tx.audit({ action: before ? 'feature_flag.updated' : 'feature_flag.created', entityType: 'feature_flag', entityId: name, before: auditedRule(before), after: auditedRule(after) });
      return after;
    });
    await this.flags.changed(name);
    return saved;
  }

  /** A plan rule names at least one plan, and only plans that exist (asked before the transaction). */
  private async checkPlans(plans: readonly string[]): Promise<void> {
    const known = await this.flags.planCodes();
    const refuse = (detail: string) => new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Entity', detail, errors: [{ field: 'plans', message: detail }] });
    if (known === null) throw refuse('plans: no plans exist in this installation, so a plan rule would never turn on.');
    if (plans.length === 0) throw refuse(`plans: a plan rule names at least one plan (${known.join(', ')}).`);
    const unknown = plans.filter((p) => !known.includes(p));
    if (unknown.length > 0) throw refuse(`plans: no plan is called ${unknown.map((p) => `"${p}"`).join(', ')} (plans: ${known.join(', ')}).`);
  }
}
