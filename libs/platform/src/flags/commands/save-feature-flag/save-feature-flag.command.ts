import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../database/command-context';
import type { FlagRule } from '../../feature-flag';
import type { FlagRuleInput } from '../../feature-flags.sql';

/** Creates or replaces the rule of a declared flag (platform operators; audited in the platform's log). */
export class SaveFeatureFlagCommand extends Command<FlagRule> {
  constructor(
    readonly context: CommandContext,
    readonly name: string,
    readonly input: FlagRuleInput,
    /** From If-Match; 0 means "only if it has no rule yet". */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
