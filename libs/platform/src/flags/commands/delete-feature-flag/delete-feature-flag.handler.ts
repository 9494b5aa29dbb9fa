import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '../../../database/tenant-transaction';
import { notFound } from '../../../http/problem';
import { ContextRegistry } from '../../../registry/context-registry';
import { FeatureFlags } from '../../feature-flags';
import { deleteFlagRule, flagRuleForUpdate } from '../../feature-flags.sql';
import { auditedRule, undeclaredFlag } from '../save-feature-flag/save-feature-flag.handler';
import { DeleteFeatureFlagCommand } from './delete-feature-flag.command';

@CommandHandler(DeleteFeatureFlagCommand)
export class DeleteFeatureFlagHandler implements ICommandHandler<DeleteFeatureFlagCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly registry: ContextRegistry,
    private readonly flags: FeatureFlags,
  ) {}

  async execute({ context, name }: DeleteFeatureFlagCommand): Promise<void> {
    if (!this.registry.featureFlag(name)) throw undeclaredFlag(name);
    await this.tx.runPrivileged(context, async (tx) => {
      const before = await flagRuleForUpdate(tx.manager, name);
      if (!before) throw notFound('Feature flag rule', name);
      await deleteFlagRule(tx.manager, name);
      await tx.audit({ action: 'feature_flag.deleted', entityType: 'feature_flag', entityId: name, before: auditedRule(before), after: null });
    });
    await this.flags.changed(name);
  }
}
