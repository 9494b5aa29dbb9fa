import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { PoliciesRepository } from '../../repositories/policies.repository';
import { SlaPolicyChanged } from '../../sla.registration';
import { DeletePolicyCommand } from './delete-policy.command';

/** Deletes an SLA policy (soft: tickets' SLA history keeps naming it); the next policy that applies takes over. */
@CommandHandler(DeletePolicyCommand)
export class DeletePolicyHandler implements ICommandHandler<DeletePolicyCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly policies: PoliciesRepository,
  ) {}

  execute({ context, policyId }: DeletePolicyCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const policy = await this.policies.find(tx, policyId, true);
      if (!policy) throw notFound('SLA policy', policyId);
      await this.policies.softDelete(tx, policyId);
      await tx.audit({ action: 'sla_policy.deleted', entityType: 'sla_policy', entityId: policyId, before: { name: policy.name } });
      await tx.emit(SlaPolicyChanged.of(policyId, { op: 'deleted', policy: null }));
    });
  }
}
