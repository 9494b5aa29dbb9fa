import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { ChecklistsRepository } from '../../repositories/checklists.repository';
import type { ChecklistView } from '../../repositories/checklists.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ChecklistChanged } from '../../tickets.context';
import { ChangeChecklistCommand } from './change-checklist.command';

/** A checklist holds at most this many items. */
export const MAX_CHECKLIST_ITEMS = 100;

/**
 * Ticks, unticks, renames, adds or removes an item, or deletes the checklist. Changes to one
 * checklist are serialised by locking it; ticking an item records who and when (ticking it again
 * keeps the first), unticking clears both. Each change is in the ticket's history and announced.
 */
@CommandHandler(ChangeChecklistCommand)
export class ChangeChecklistHandler implements ICommandHandler<ChangeChecklistCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly checklists: ChecklistsRepository,
  ) {}

  execute({ context, ticketId, checklistId, change }: ChangeChecklistCommand): Promise<ChecklistView | null> {
    return this.tx.run(context, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      if (!(await this.checklists.lockChecklist(tx, ticketId, checklistId))) throw notFound('Checklist', checklistId);
      let op: PayloadOp;
      let itemId: string | null = null;
      let history: Record<string, { from?: unknown; to?: unknown }>;
      switch (change.op) {
        case 'delete': {
          await this.checklists.deleteChecklist(tx, checklistId);
          op = 'deleted';
          history = { checklist: { from: { id: checklistId } } };
          break;
        }
        case 'add': {
          if ((await this.checklists.countItems(tx, checklistId)) >= MAX_CHECKLIST_ITEMS) {
            throw new ProblemException({ status: 422, type: 'checklist-full', title: 'Unprocessable Content', detail: `A checklist holds at most ${MAX_CHECKLIST_ITEMS} items; start another checklist.` });
          }
          itemId = await this.checklists.addItem(tx, checklistId, change.text);
          op = 'item_added';
          history = { checklistItem: { to: { checklistId, id: itemId, text: change.text } } };
          break;
        }
        case 'remove': {
          const text = await this.checklists.deleteItem(tx, checklistId, change.itemId);
          if (text === undefined) throw notFound('Checklist item', change.itemId);
          itemId = change.itemId;
          op = 'item_removed';
          history = { checklistItem: { from: { checklistId, id: itemId, text } } };
          break;
        }
        default: {
          const before = await this.checklists.changeItem(tx, checklistId, change.itemId, change.op === 'check' ? { done: change.done } : { text: change.text }, context.actorId);
          if (!before) throw notFound('Checklist item', change.itemId);
          itemId = change.itemId;
          if (change.op === 'check') {
            if ((before.done_at !== null) === change.done) return (await this.checklists.findChecklist(tx, ticketId, checklistId))!;
            op = change.done ? 'item_done' : 'item_undone';
            history = { checklistItem: { from: { checklistId, id: itemId, done: !change.done }, to: { checklistId, id: itemId, done: change.done } } };
          } else {
            if (before.text === change.text) return (await this.checklists.findChecklist(tx, ticketId, checklistId))!;
            op = 'item_renamed';
            history = { checklistItem: { from: { checklistId, id: itemId, text: before.text }, to: { checklistId, id: itemId, text: change.text } } };
          }
        }
      }
      const checklist = op === 'deleted' ? null : ((await this.checklists.findChecklist(tx, ticketId, checklistId)) ?? null);
      await this.tickets.recordHistory(tx, ticketId, `ticket.checklist_${op}`, history);
      await tx.audit({ action: `ticket.checklist_${op}`, entityType: 'ticket', entityId: ticketId, after: { checklistId, itemId } });
      await tx.emit(ChecklistChanged.of(ticketId, { checklistId, op, itemId, checklist }));
      return checklist;
    });
  }
}

type PayloadOp = 'deleted' | 'item_added' | 'item_done' | 'item_undone' | 'item_renamed' | 'item_removed';
