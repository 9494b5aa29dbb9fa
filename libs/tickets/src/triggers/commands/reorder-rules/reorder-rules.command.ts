import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { RuleKind } from '../../domain/rules';
import type { RuleView } from '../../repositories/rules.sql';

/** Puts the tenant's triggers (or automations) in the order given: every live one, each once. */
export class ReorderRulesCommand extends Command<RuleView[]> {
  constructor(
    readonly context: CommandContext,
    readonly kind: RuleKind,
    readonly ids: string[],
  ) {
    super();
  }
}
