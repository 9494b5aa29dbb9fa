import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { PolicyFields } from '../../domain/sla-policy';
import type { PolicyView } from '../../repositories/policies.sql';

/** Creates an SLA policy (`policyId` null) or changes one (what the input names replaces what it had). */
export class SavePolicyCommand extends Command<PolicyView> {
  constructor(
    readonly context: CommandContext,
    readonly policyId: string | null,
    readonly input: Partial<PolicyFields>,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
