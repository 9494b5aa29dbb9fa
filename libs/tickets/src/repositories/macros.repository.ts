import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { macroReferences, type MacroAction, type MacroBroken } from '../domain/macros';
import { checkFieldValue } from '../domain/custom-fields';
import { customFieldsSql, toFieldView, type TicketFieldRow } from './custom-fields.sql';
import { execute } from './execute';
import { macrosSql, toMacroView, type MacroFields, type MacroRow, type MacroView } from './macros.sql';

/** Ticket macros (SQL in `macros.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class MacrosRepository {
  async find(tx: TenantTx, id: string, lock = false): Promise<MacroView | undefined> {
    const [row] = await execute<MacroRow[]>(tx, macrosSql.find(tx.tenantId, id, lock));
    return row ? (await this.views(tx, [row]))[0] : undefined;
  }

  async insert(tx: TenantTx, fields: MacroFields): Promise<MacroView> {
    const [row] = await execute<MacroRow[]>(tx, macrosSql.insert(tx.tenantId, fields));
    return toMacroView(row!, null);
  }

  async update(tx: TenantTx, id: string, fields: MacroFields): Promise<MacroView> {
    const [row] = await execute<MacroRow[]>(tx, macrosSql.update(tx.tenantId, id, fields));
    return toMacroView(row!, null);
  }

  async softDelete(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, macrosSql.softDelete(tx.tenantId, id));
  }

  async countUse(tx: TenantTx, id: string): Promise<number> {
    const [row] = await execute<{ usage_count: number }[]>(tx, macrosSql.countUse(tx.tenantId, id));
    return row!.usage_count;
  }

  async list(tx: TenantTx, page: { limit: number; after?: [string, string]; active?: boolean }): Promise<MacroView[]> {
    return this.views(tx, await execute<MacroRow[]>(tx, macrosSql.list(tx.tenantId, page)));
  }

  async nameTaken(tx: TenantTx, name: string, exceptId: string | null): Promise<boolean> {
    return (await execute<unknown[]>(tx, macrosSql.nameTaken(tx.tenantId, name, exceptId))).length > 0;
  }

  /**
   * The first action whose group or checklist template is gone (deleted, or never of this tenant),
   * and the live templates the actions name. Two reads for any number of macros.
   */
  async resolve(tx: TenantTx, actionLists: readonly (readonly MacroAction[])[]): Promise<{ broken: (MacroBroken | null)[]; templates: Map<string, { name: string; items: string[] }> }> {
    const refs = actionLists.map((actions) => macroReferences(actions));
    const groupIds = [...new Set(refs.flat().flatMap((r) => (r.ref.kind === 'group' ? [r.ref.id] : [])))];
    const templateIds = [...new Set(refs.flat().flatMap((r) => (r.ref.kind === 'checklist_template' ? [r.ref.id] : [])))];
    const groups = new Set(groupIds.length ? (await execute<{ id: string }[]>(tx, macrosSql.liveGroups(tx.tenantId, groupIds))).map((r) => r.id) : []);
    const fieldKeys = new Set(refs.flat().flatMap((r) => (r.ref.kind === 'field' ? [r.ref.id] : [])));
    const fields = new Map(fieldKeys.size ? (await execute<TicketFieldRow[]>(tx, customFieldsSql.allFields(tx.tenantId))).map(toFieldView).filter((f) => fieldKeys.has(f.key)).map((f) => [f.key, f] as const) : []);
    const templates = new Map<string, { name: string; items: string[] }>();
    if (templateIds.length) for (const t of await execute<{ id: string; name: string; items: string[] }[]>(tx, macrosSql.liveTemplates(tx.tenantId, templateIds))) templates.set(t.id, { name: t.name, items: t.items });
    const broken = refs.map((list) => {
      for (const { index, action, ref } of list) {
        if (ref.kind === 'group' && !groups.has(ref.id)) return { actionIndex: index, actionType: action.type, reason: `names group ${ref.id}, which was deleted or does not exist.` };
        if (ref.kind === 'checklist_template' && !templates.has(ref.id)) return { actionIndex: index, actionType: action.type, reason: `names checklist template ${ref.id}, which was deleted or does not exist.` };
        if (ref.kind === 'field') {
          const field = fields.get(ref.id);
          if (!field || field.deletedAt) return { actionIndex: index, actionType: action.type, reason: `sets custom field ${ref.id}, which was deleted or does not exist.` };
          const check = ref.value === null ? null : checkFieldValue(field, ref.value);
          if (check && !check.ok) return { actionIndex: index, actionType: action.type, reason: `sets custom field ${ref.id} to a value it no longer takes: ${check.rule}.` };
        }
      }
      return null;
    });
    return { broken: broken as (MacroBroken | null)[], templates };
  }

  private async views(tx: TenantTx, rows: MacroRow[]): Promise<MacroView[]> {
    if (rows.length === 0) return [];
    const { broken } = await this.resolve(tx, rows.map((r) => r.actions));
    return rows.map((r, i) => toMacroView(r, broken[i]!));
  }
}
