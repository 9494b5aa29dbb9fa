import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { macroReferenceProblem, macroReferences, readMacroActions, type MacroAction } from '../../domain/macros';
import { assertAssignee } from '../../domain/references';
import { MacrosRepository } from '../../repositories/macros.repository';
import type { MacroFields, MacroView } from '../../repositories/macros.sql';
import { MacroChanged, type FieldDelta } from '../../tickets.context';
import { ManageMacroCommand } from './manage-macro.command';

const nameTaken = (name: string) =>
  new ProblemException({ status: 409, type: 'conflict', title: 'Conflict', detail: `A macro named "${name}" already exists; macro names are unique (ignoring case).`, errors: [{ field: 'name', message: 'must be unique' }] });

/**
 * Macros: saved only when every action is well formed, every placeholder known and every group,
 * checklist template and assignee it names exists, so a macro that breaks later (a group deleted)
 * is fixed by saving it again with a live reference. Each change counts the version up.
 */
@CommandHandler(ManageMacroCommand)
export class ManageMacroHandler implements ICommandHandler<ManageMacroCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly macros: MacrosRepository,
  ) {}

  execute({ context, change }: ManageMacroCommand): Promise<MacroView | null> {
    // Shape and placeholders first, outside any transaction: a 400/422 costs no database work.
    const actions = change.op === 'delete' || change.input.actions === undefined ? undefined : readMacroActions(change.input.actions);
    return this.tx.run(context, async (tx) => {
      if (actions) await this.assertReferences(tx, actions);
      if (change.op === 'create') {
        const fields: MacroFields = { name: change.input.name, description: change.input.description ?? null, active: change.input.active ?? true, actions: actions! };
        if (await this.macros.nameTaken(tx, fields.name, null)) throw nameTaken(fields.name);
        const created = await this.macros.insert(tx, fields);
        await tx.audit({ action: 'ticket_macro.created', entityType: 'ticket_macro', entityId: created.id, after: { ...fields } });
        await tx.emit(MacroChanged.of(created.id, { action: 'created', name: created.name, version: created.version }));
        return created;
      }
      const before = await this.macros.find(tx, change.id, true);
      if (!before) throw notFound('Macro', change.id);
      if (change.op === 'delete') {
        await this.macros.softDelete(tx, change.id);
        await tx.audit({ action: 'ticket_macro.deleted', entityType: 'ticket_macro', entityId: change.id, before: { name: before.name, version: before.version } });
        await tx.emit(MacroChanged.of(change.id, { action: 'deleted', name: before.name, version: before.version + 1 }));
        return null;
      }
      if (change.expectedVersion !== null && change.expectedVersion !== before.version) throw staleVersion('macro', change.expectedVersion, before.version);
      const current: MacroFields = { name: before.name, description: before.description, active: before.active, actions: before.actions };
      const next: MacroFields = {
        name: change.input.name ?? current.name,
        description: change.input.description !== undefined ? change.input.description : current.description,
        active: change.input.active ?? current.active,
        actions: actions ?? current.actions,
      };
      const delta: FieldDelta = {};
      for (const key of Object.keys(next) as (keyof MacroFields)[]) {
        if (JSON.stringify(next[key]) !== JSON.stringify(current[key])) delta[key] = { from: current[key], to: next[key] };
      }
      if (Object.keys(delta).length === 0) return before;
      if (delta.name && (await this.macros.nameTaken(tx, next.name, change.id))) throw nameTaken(next.name);
      const after = await this.macros.update(tx, change.id, next);
      await tx.audit({
        action: 'ticket_macro.updated',
        entityType: 'ticket_macro',
        entityId: change.id,
        before: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.from])),
        after: Object.fromEntries(Object.entries(delta).map(([k, d]) => [k, d.to])),
      });
      await tx.emit(MacroChanged.of(change.id, { action: 'updated', name: after.name, version: after.version }));
      return after;
    });
  }

  /** Every group and checklist template the actions name is live, and every assignee can work tickets. */
  private async assertReferences(tx: TenantTx, actions: MacroAction[]): Promise<void> {
    const { broken } = await this.macros.resolve(tx, [actions]);
    if (broken[0]) throw macroReferenceProblem(broken[0]);
    for (const { index, ref } of macroReferences(actions)) {
      if (ref.kind === 'assignee') await assertAssignee(this.queries, tx.tenantId, ref.id, `actions[${index}].value`);
    }
  }
}
