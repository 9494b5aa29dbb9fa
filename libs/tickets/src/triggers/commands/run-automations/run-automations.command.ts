import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface AutomationsRun {
  /** Tickets acted on, per automation id. */
  acted: Record<string, string[]>;
  /** Tickets examined (conditions tested) in this run. */
  examined: number;
  /** True when the cap stopped the run before every automation had reached the end of the tickets (the next run resumes at each cursor). */
  capped: boolean;
}

/** One bounded run of the tenant's active automations: at most `limit` tickets examined per automation and acted on in all. */
export class RunAutomationsCommand extends Command<AutomationsRun> {
  constructor(
    readonly context: CommandContext,
    readonly limit: number,
  ) {
    super();
  }
}
