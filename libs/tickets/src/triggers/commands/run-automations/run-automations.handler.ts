import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import { conditionsHold, noChange, type RuleConditions } from '../../domain/rules';
import { RulesRepository } from '../../repositories/rules.repository';
import { stateKeyOf } from '../../repositories/rules.sql';
import { TriggerEngine } from '../../trigger-engine';
import { RunAutomationsCommand, type AutomationsRun } from './run-automations.command';

/** The ages an automation's `all` conditions require (tested in SQL, so tickets too young are not even examined). */
export function requiredAges(conditions: RuleConditions): { since: 'created' | 'updated' | 'status_changed'; hours: number }[] {
  return conditions.all.flatMap((c) => (c.type === 'hours_since' ? [{ since: c.since, hours: c.hours }] : []));
}

/** The statuses an automation's `all` conditions pin (so the database narrows the candidates), or null. */
export function pinnedStatuses(conditions: RuleConditions): string[] | null {
  const pinned = conditions.all.filter((c) => c.type === 'field' && c.field === 'status' && c.op === 'is').map((c) => (c as { value: string }).value);
  return pinned.length > 0 ? [...new Set(pinned)] : null;
}

/**
 * Time-based automations, for one tenant, bounded: each automation looks at the next tickets
 * after its cursor (by id) that it has not acted on in their current state; the ones whose
 * conditions hold are recorded in `automation_runs` (tenant, automation, ticket, state) first — the
 * unique key makes a second worker's run insert nothing and act on nothing — then acted on, as the
 * system, through the triggers' executor; the triggers then run on that change as on any other.
 * The cursor moves on, and back to the start once the end is reached.
 */
@CommandHandler(RunAutomationsCommand)
export class RunAutomationsHandler implements ICommandHandler<RunAutomationsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly rules: RulesRepository,
    private readonly tickets: TicketsRepository,
    private readonly engine: TriggerEngine,
  ) {}

  execute({ context, limit }: RunAutomationsCommand): Promise<AutomationsRun> {
    return this.tx.run(context, async (tx) => {
      const run: AutomationsRun = { acted: {}, examined: 0, capped: false };
      let budget = limit;
      for (const automation of await this.rules.list(tx, 'ticket_automations', true)) {
        if (budget <= 0) {
          run.capped = true;
          break;
        }
        const cursor = await this.rules.cursor(tx, automation.id);
        const candidates = await this.rules.candidates(tx, automation.id, cursor, pinnedStatuses(automation.conditions), limit, requiredAges(automation.conditions));
        run.examined += candidates.length;
        let last: string | null = null;
        for (const candidate of candidates) {
          if (budget <= 0) break;
          last = candidate.id;
          const ticket = await this.tickets.find(tx, candidate.id);
          if (!ticket) continue;
          const statusSince = new Date(candidate.status_since).getTime();
          const context = await this.engine.contextLoader(tx, [automation], statusSince)(ticket);
          if (!conditionsHold(automation.conditions, ticket, noChange(), context)) continue;
          if (!(await this.rules.recordRun(tx, automation.id, ticket.id, stateKeyOf(ticket.status, candidate.status_since), automation.version))) continue;
          const from = tx.events.length;
          const out = await this.engine.apply(tx, { kind: 'automation', id: automation.id, name: automation.name, version: automation.version }, automation.actions, ticket, 0);
          if (!out.firing.error) await this.engine.afterCommand(tx, from);
          (run.acted[automation.id] ??= []).push(ticket.id);
          budget--;
        }
        // A full page (or a stop on the cap) leaves more behind the cursor; a short one reached the end.
        const more = candidates.length >= limit || (budget <= 0 && last !== candidates.at(-1)?.id);
        if (more) run.capped = true;
        await this.rules.setCursor(tx, automation.id, more ? last : null);
      }
      return run;
    });
  }
}
