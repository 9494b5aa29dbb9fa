import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { checklistsSql, toChecklistView, toTemplateView, type ChecklistTemplateView, type ChecklistView, type TemplateRow } from './checklists.sql';
import { execute } from './execute';

type ChecklistRow = Parameters<typeof toChecklistView>[0];

/** Checklist templates, ticket checklists and their items (SQL in `checklists.sql.ts`). */
@Injectable()
export class ChecklistsRepository {
  async insertTemplate(tx: TenantTx, name: string, items: string[]): Promise<ChecklistTemplateView> {
    return toTemplateView((await execute<TemplateRow[]>(tx, checklistsSql.insertTemplate(tx.tenantId, name, items)))[0]!);
  }

  async findTemplate(tx: TenantTx, id: string, lock = false): Promise<ChecklistTemplateView | undefined> {
    const [row] = await execute<TemplateRow[]>(tx, checklistsSql.findTemplate(tx.tenantId, id, lock));
    return row ? toTemplateView(row) : undefined;
  }

  async updateTemplate(tx: TenantTx, id: string, name: string, items: string[]): Promise<ChecklistTemplateView> {
    return toTemplateView((await execute<TemplateRow[]>(tx, checklistsSql.updateTemplate(tx.tenantId, id, name, items)))[0]!);
  }

  async deleteTemplate(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, checklistsSql.deleteTemplate(tx.tenantId, id));
  }

  async templates(tx: TenantTx, page: { limit: number; after?: [string, string] }): Promise<ChecklistTemplateView[]> {
    return (await execute<TemplateRow[]>(tx, checklistsSql.templates(tx.tenantId, page))).map(toTemplateView);
  }

  async insertChecklist(tx: TenantTx, ticketId: string, c: { title: string; templateId: string | null; createdBy: string | null; items: string[] }): Promise<ChecklistView> {
    const [{ id }] = await execute<{ id: string }[]>(tx, checklistsSql.insertChecklist(tx.tenantId, ticketId, c));
    return (await this.findChecklist(tx, ticketId, id))!;
  }

  async findChecklist(tx: TenantTx, ticketId: string, id: string): Promise<ChecklistView | undefined> {
    const [row] = await execute<ChecklistRow[]>(tx, checklistsSql.findChecklist(tx.tenantId, ticketId, id));
    return row ? toChecklistView(row) : undefined;
  }

  /** Locks the checklist row (item changes on one checklist are serialised); false when it is not the ticket's. */
  async lockChecklist(tx: TenantTx, ticketId: string, id: string): Promise<boolean> {
    return (await execute<unknown[]>(tx, checklistsSql.lockChecklist(tx.tenantId, ticketId, id))).length > 0;
  }

  async ofTicket(tx: TenantTx, ticketId: string): Promise<ChecklistView[]> {
    return (await execute<ChecklistRow[]>(tx, checklistsSql.ofTicket(tx.tenantId, ticketId))).map(toChecklistView);
  }

  async deleteChecklist(tx: TenantTx, id: string): Promise<void> {
    await execute(tx, checklistsSql.deleteChecklist(tx.tenantId, id));
  }

  async addItem(tx: TenantTx, checklistId: string, text: string): Promise<string> {
    return (await execute<{ id: string }[]>(tx, checklistsSql.addItem(tx.tenantId, checklistId, text)))[0]!.id;
  }

  async countItems(tx: TenantTx, checklistId: string): Promise<number> {
    return (await execute<{ n: number }[]>(tx, checklistsSql.countItems(tx.tenantId, checklistId)))[0]!.n;
  }

  /** The item as it was before the change; undefined when it is not on the checklist. */
  async changeItem(tx: TenantTx, checklistId: string, itemId: string, change: { done?: boolean; text?: string }, by: string | null): Promise<{ id: string; text: string; done_at: Date | null } | undefined> {
    return (await execute<{ id: string; text: string; done_at: Date | null }[]>(tx, checklistsSql.changeItem(tx.tenantId, checklistId, itemId, change, by)))[0];
  }

  /** The removed item's text; undefined when it is not on the checklist. */
  async deleteItem(tx: TenantTx, checklistId: string, itemId: string): Promise<string | undefined> {
    return (await execute<{ text: string }[]>(tx, checklistsSql.deleteItem(tx.tenantId, checklistId, itemId)))[0]?.text;
  }
}
