import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { RuleKind } from '../../domain/rules';
import type { RuleView } from '../../repositories/rules.sql';

/** The rule as sent: `conditions` and `actions` are read and checked by the domain (`readConditions`, `readActions`). */
export interface RuleInput {
  name: string;
  description?: string | null;
  position?: number;
  active?: boolean;
  conditions: unknown;
  actions: unknown;
}

export type RuleChangeRequest =
  | { op: 'create'; input: RuleInput }
  | { op: 'update'; id: string; input: Partial<RuleInput>; expectedVersion: number | null }
  | { op: 'delete'; id: string };

/** Creates, changes or deletes a trigger or an automation (owners and admins). */
export class ManageRuleCommand extends Command<RuleView | null> {
  constructor(
    readonly context: CommandContext,
    readonly kind: RuleKind,
    readonly change: RuleChangeRequest,
  ) {
    super();
  }
}
