import type { TicketView } from '../../repositories/tickets.sql';
import type { FieldDelta } from '../../tickets.context';
import { conditionsHold, isEmptyChange, noChange, type RuleAction, type RuleChange, type RuleConditions, type RuleContext } from './rules';

/** Passes one update may run: each pass reacts to the previous pass's changes; what would still fire after the last is recorded, not run. */
export const MAX_TRIGGER_PASSES = 5;

export interface TriggerRule {
  id: string;
  name: string;
  version: number;
  conditions: RuleConditions;
  actions: RuleAction[];
}

/** What one firing did (the shape history, dry run and the bench read). */
export interface TriggerFiring {
  triggerId: string;
  name: string;
  version: number;
  pass: number;
  delta: FieldDelta;
  messages: { visibility: 'public' | 'internal'; body: string }[];
  webhooks: string[];
  /** Set when the actions could not be carried out (a reference gone): nothing of this firing was kept. */
  error: string | null;
}

export interface PassesResult {
  ticket: TicketView;
  firings: TriggerFiring[];
  /** Set when the pass cap stopped a chain: the triggers that would have fired next. */
  capped: { passes: number; pending: string[] } | null;
}

export type FireRule = (rule: TriggerRule, ticket: TicketView, pass: number) => Promise<{ ticket: TicketView; change: RuleChange; firing: TriggerFiring }>;

export function mergeChange(into: RuleChange, add: RuleChange): RuleChange {
  const delta: FieldDelta = { ...into.delta };
  for (const [k, d] of Object.entries(add.delta)) {
    const from = delta[k] ? delta[k].from : d.from;
    if (JSON.stringify(from) === JSON.stringify(d.to)) delete delta[k];
    else delta[k] = { from, to: d.to };
  }
  return { created: into.created || add.created, delta, messages: [...into.messages, ...add.messages] };
}

/**
 * Runs ordered triggers over one update. Pass 1 sees the command's change; pass n sees what the
 * triggers of pass n-1 changed. Within a pass, triggers are tried in order, each against the
 * ticket as the earlier ones left it. Loop protection: a trigger fires at most once per update
 * (so never on its own change), and after `maxPasses` passes the chain stops; the triggers that
 * would have fired next are returned in `capped`.
 */
export async function runTriggerPasses(rules: readonly TriggerRule[], ticket: TicketView, first: RuleChange, context: (t: TicketView) => Promise<RuleContext>, fire: FireRule, maxPasses = MAX_TRIGGER_PASSES): Promise<PassesResult> {
  const fired = new Set<string>();
  const firings: TriggerFiring[] = [];
  let change = first;
  for (let pass = 1; !isEmptyChange(change); pass++) {
    const candidates = rules.filter((r) => !fired.has(r.id));
    if (pass > maxPasses) {
      const ctx = await context(ticket);
      const pending = candidates.filter((r) => conditionsHold(r.conditions, ticket, change, ctx)).map((r) => r.id);
      return { ticket, firings, capped: pending.length > 0 ? { passes: maxPasses, pending } : null };
    }
    let next = noChange();
    for (const rule of candidates) {
      if (!conditionsHold(rule.conditions, ticket, change, await context(ticket))) continue;
      fired.add(rule.id);
      const out = await fire(rule, ticket, pass);
      ticket = out.ticket;
      next = mergeChange(next, out.change);
      firings.push(out.firing);
    }
    change = next;
  }
  return { ticket, firings, capped: null };
}
