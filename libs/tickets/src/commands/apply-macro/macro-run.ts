import type { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { notFound, ProblemException, type TenantTx } from '@switchboard/platform';
import { macroBrokenProblem, macroReferences, planMacro, type MacroPlan } from '../../domain/macros';
import { placeholderValues } from '../../domain/macro-template';
import { assertAssignee } from '../../domain/references';
import type { GroupsRepository } from '../../repositories/groups.repository';
import type { MacrosRepository } from '../../repositories/macros.repository';
import type { MacroView } from '../../repositories/macros.sql';
import type { TicketView } from '../../repositories/tickets.sql';
import type { MacroAgent } from './apply-macro.command';

export interface MacroRunDeps {
  queries: QueryBus;
  macros: MacrosRepository;
  groups: GroupsRepository;
}

/** The macro, live and active, or the problem that says why it cannot run. */
export async function runnableMacro(tx: TenantTx, macros: MacrosRepository, macroId: string): Promise<MacroView> {
  const macro = await macros.find(tx, macroId);
  if (!macro) throw notFound('Macro', macroId);
  if (!macro.active) {
    throw new ProblemException({ status: 422, type: 'macro-inactive', title: 'Unprocessable Content', detail: `Macro "${macro.name}" is switched off; an owner or admin can switch it on.` });
  }
  if (macro.broken) throw macroBrokenProblem(macro.name, macro.broken);
  return macro;
}

/**
 * What the macro would do to this ticket, checked the way apply checks it: the references are
 * live (a deleted group or template is a `macro-broken` problem naming the action), assignees can
 * work tickets, and the placeholders have their values. Preview answers this; apply carries it out.
 */
export async function planMacroRun(tx: TenantTx, deps: MacroRunDeps, ticket: TicketView, macro: MacroView, agent: MacroAgent): Promise<MacroPlan> {
  const { broken, templates } = await deps.macros.resolve(tx, [macro.actions]);
  if (broken[0]) throw macroBrokenProblem(macro.name, broken[0]);
  for (const { index, action, ref } of macroReferences(macro.actions)) {
    if (ref.kind !== 'assignee') continue;
    try {
      await assertAssignee(deps.queries, tx.tenantId, ref.id, `actions[${index}].value`);
    } catch (error) {
      const reason = error instanceof ProblemException ? error.problem.detail : 'names an assignee who cannot work tickets.';
      throw macroBrokenProblem(macro.name, { actionIndex: index, actionType: action.type, reason: `names an assignee who cannot work tickets: ${reason}` });
    }
  }
  const requester = await deps.queries.execute(new GetContactQuery(tx.tenantId, ticket.requesterId)).catch(() => undefined);
  const values = placeholderValues(ticket, requester, agent);
  const plan = planMacro(ticket, macro.actions, { values, templates });
  // Moved to a group its assignee is not in, with no assignee named: the update path unassigns it.
  const { groupId, assigneeId } = plan.ticket;
  if (plan.changes.groupId && plan.changes.assigneeId === undefined && assigneeId && groupId && !(await deps.groups.isMember(tx, groupId, assigneeId))) {
    plan.ticket = { ...plan.ticket, assigneeId: null };
  }
  return plan;
}
