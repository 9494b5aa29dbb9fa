import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { macroReferenceProblem, macroReferences } from '../../../domain/macros';
import { assertAssignee } from '../../../domain/references';
import { MacrosRepository } from '../../../repositories/macros.repository';
import { macroActionsOf, readActions, readConditions, type RuleAction, type RuleKind } from '../../domain/rules';
import { RulesRepository } from '../../repositories/rules.repository';
import type { RuleFields, RuleTable, RuleView } from '../../repositories/rules.sql';
import { RuleChanged } from '../../triggers.registration';
import { ManageRuleCommand } from './manage-rule.command';

export const MAX_RULES = 200;
export const tableOf = (kind: RuleKind): RuleTable => (kind === 'trigger' ? 'ticket_triggers' : 'ticket_automations');
const label = (kind: RuleKind) => (kind === 'trigger' ? 'Trigger' : 'Automation');
const conflict = (detail: string) => new ProblemException({ status: 409, type: 'conflict', title: 'Conflict', detail, errors: [{ field: 'name', message: detail }] });

/**
 * Triggers and automations: saved only when every condition and action is well formed and every
 * group and assignee an action names exists (the macros' checks); each change counts the version
 * up, and firings name the version that ran.
 */
@CommandHandler(ManageRuleCommand)
export class ManageRuleHandler implements ICommandHandler<ManageRuleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly rules: RulesRepository,
    private readonly macros: MacrosRepository,
  ) {}

  async execute({ context, kind, change }: ManageRuleCommand): Promise<RuleView | null> {
    // Shape first, outside any transaction: a 422 costs no database work.
    const conditions = change.op === 'delete' || change.input.conditions === undefined ? undefined : readConditions(change.input.conditions, kind);
    const actions = change.op === 'delete' || change.input.actions === undefined ? undefined : readActions(change.input.actions);
    const table = tableOf(kind);
    return this.tx.run(context, async (tx) => {
      if (actions) await this.assertReferences(tx, actions);
      if (change.op === 'create') {
        const fields: RuleFields = { name: change.input.name, description: change.input.description ?? null, position: change.input.position ?? 0, active: change.input.active ?? true, conditions: conditions!, actions: actions! };
        if ((await this.rules.list(tx, table)).length >= MAX_RULES) throw conflict(`A tenant has at most ${MAX_RULES} ${kind}s.`);
        if (await this.rules.nameTaken(tx, table, fields.name, null)) throw conflict(`A ${kind} named "${fields.name}" already exists; names are unique (ignoring case).`);
        const created = await this.rules.insert(tx, table, fields);
        await tx.audit({ action: `ticket_${kind}.created`, entityType: `ticket_${kind}`, entityId: created.id, after: { ...fields } });
        await tx.emit(RuleChanged.of(created.id, { kind, op: 'created', name: created.name, version: created.version }));
        return created;
      }
      const before = await this.rules.find(tx, table, change.id, true);
      if (!before) throw notFound(label(kind), change.id);
      if (change.op === 'delete') {
        await this.rules.softDelete(tx, table, change.id);
        await tx.audit({ action: `ticket_${kind}.deleted`, entityType: `ticket_${kind}`, entityId: change.id, before: { name: before.name, version: before.version } });
        await tx.emit(RuleChanged.of(change.id, { kind, op: 'deleted', name: before.name, version: before.version + 1 }));
        return null;
      }
      if (change.expectedVersion !== null && change.expectedVersion !== before.version) throw staleVersion(kind, change.expectedVersion, before.version);
      const defined = Object.fromEntries(Object.entries(change.input).filter(([, v]) => v !== undefined)) as Partial<RuleFields>;
      const next: RuleFields = {
        name: defined.name ?? before.name,
        description: change.input.description !== undefined ? change.input.description : before.description,
        position: defined.position ?? before.position,
        active: defined.active ?? before.active,
        conditions: conditions ?? before.conditions,
        actions: actions ?? before.actions,
      };
      const current: RuleFields = { name: before.name, description: before.description, position: before.position, active: before.active, conditions: before.conditions, actions: before.actions };
      if (JSON.stringify(next) === JSON.stringify(current)) return before;
      if (next.name.toLowerCase() !== before.name.toLowerCase() && (await this.rules.nameTaken(tx, table, next.name, before.id))) {
        throw conflict(`A ${kind} named "${next.name}" already exists; names are unique (ignoring case).`);
      }
      const after = await this.rules.update(tx, table, before.id, next);
      await tx.audit({ action: `ticket_${kind}.updated`, entityType: `ticket_${kind}`, entityId: before.id, before: { ...current }, after: { ...next } });
      await tx.emit(RuleChanged.of(before.id, { kind, op: 'updated', name: after.name, version: after.version }));
      return after;
    });
  }

  /** Every group an action names is live, and every assignee can work tickets (checked as macros check theirs). */
  private async assertReferences(tx: TenantTx, actions: RuleAction[]): Promise<void> {
    const macroActions = macroActionsOf(actions);
    const { broken } = await this.macros.resolve(tx, [macroActions]);
    if (broken[0]) {
      // Indices in the macro-only list → indices in the rule's list.
      const index = actions.indexOf(macroActions[broken[0].actionIndex]!);
      throw macroReferenceProblem({ ...broken[0], actionIndex: index });
    }
    for (const { index, ref } of macroReferences(macroActions)) {
      if (ref.kind === 'assignee') await assertAssignee(this.queries, tx.tenantId, ref.id, `actions[${actions.indexOf(macroActions[index]!)}].value`);
    }
  }
}
