import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { ChecklistsRepository } from '../../repositories/checklists.repository';
import type { ChecklistView } from '../../repositories/checklists.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ChecklistChanged } from '../../tickets.context';
import { AddChecklistCommand, type NewChecklist } from './add-checklist.command';

const invalid = (field: string, detail: string) =>
  new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

/** Adds a checklist inside the caller's transaction: items copied from a template or given; history, audit and an event. */
export async function addChecklistTo(tx: TenantTx, deps: { tickets: TicketsRepository; checklists: ChecklistsRepository }, ticketId: string, input: NewChecklist): Promise<ChecklistView> {
  if (!(await deps.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
  const template = input.templateId ? await deps.checklists.findTemplate(tx, input.templateId) : undefined;
  if (input.templateId && !template) throw invalid('templateId', `Checklist template ${input.templateId} does not exist.`);
  const checklist = await deps.checklists.insertChecklist(tx, ticketId, {
    title: input.title ?? template!.name,
    templateId: template?.id ?? null,
    createdBy: tx.context.actorId,
    items: input.items?.length ? input.items : template!.items,
  });
  await deps.tickets.recordHistory(tx, ticketId, 'ticket.checklist_added', { checklist: { to: { id: checklist.id, title: checklist.title, items: checklist.items.length } } });
  await tx.audit({ action: 'ticket.checklist_added', entityType: 'ticket', entityId: ticketId, after: { checklistId: checklist.id, title: checklist.title, templateId: checklist.templateId } });
  await tx.emit(ChecklistChanged.of(ticketId, { checklistId: checklist.id, op: 'added', itemId: null, checklist }));
  return checklist;
}

/** A checklist on a ticket, its items copied from a template or given; history, audit and an event. */
@CommandHandler(AddChecklistCommand)
export class AddChecklistHandler implements ICommandHandler<AddChecklistCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly checklists: ChecklistsRepository,
  ) {}

  execute({ context, ticketId, input }: AddChecklistCommand): Promise<ChecklistView> {
    if (!input.templateId && (!input.title || !input.items?.length)) {
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        title: 'Bad Request',
        detail: 'Send templateId, or a title and at least one item.',
        errors: [{ field: 'templateId', message: 'or title and items are required' }],
      });
    }
    return this.tx.run(context, (tx) => addChecklistTo(tx, { tickets: this.tickets, checklists: this.checklists }, ticketId, input));
  }
}
