import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TICKET_TRIGGERS, type TicketTriggers } from '../../triggers/ticket-triggers';
import { notFound, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { ChecklistsRepository } from '../../repositories/checklists.repository';
import { GroupsRepository } from '../../repositories/groups.repository';
import { MacrosRepository } from '../../repositories/macros.repository';
import { MessagesRepository } from '../../repositories/messages.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { MacroApplied as MacroAppliedEvent } from '../../tickets.context';
import { addChecklistTo } from '../add-checklist/add-checklist.handler';
import { appendMessage } from '../add-message/add-message.handler';
import { applyTicketChanges } from '../update-ticket/update-ticket.handler';
import { ApplyMacroCommand, type MacroAgent, type MacroApplied } from './apply-macro.command';
import { planMacroRun, runnableMacro } from './macro-run';
import { ChannelsRepository } from '../../channels/repositories/channels.repository';

export interface ApplyMacroDeps {
  queries: QueryBus;
  tickets: TicketsRepository;
  messages: MessagesRepository;
  groups: GroupsRepository;
  checklists: ChecklistsRepository;
  macros: MacrosRepository;
  /** Public replies on a WhatsApp ticket respect its 24-hour window. */
  channels: ChannelsRepository;
}

/**
 * Runs a macro on one ticket inside the caller's transaction, through the ticket's own paths: the
 * field changes as one update (lifecycle, assignee and group rules, history, audit, events), then
 * each message and checklist; any refusal rolls all of it back. The macro's id and version are in
 * the ticket's history, the audit log and the `macro_applied` event; its usage count goes up.
 */
export async function applyMacro(tx: TenantTx, deps: ApplyMacroDeps, ticketId: string, macroId: string, agent: MacroAgent, expectedVersion: number | null): Promise<MacroApplied> {
  const ticket = await deps.tickets.findForUpdate(tx, ticketId);
  if (!ticket) throw notFound('Ticket', ticketId);
  if (expectedVersion !== null && ticket.version !== expectedVersion) throw staleVersion('ticket', expectedVersion, ticket.version);
  const macro = await runnableMacro(tx, deps.macros, macroId);
  const plan = await planMacroRun(tx, deps, ticket, macro, agent);
  if (Object.keys(plan.changes).length > 0) await applyTicketChanges(tx, deps, ticketId, plan.changes, null);
  const messages = [];
  for (const m of plan.messages) messages.push(await appendMessage(tx, deps, ticketId, { body: m.body, html: m.html, visibility: m.visibility, author: 'agent' }));
  const checklists = [];
  for (const c of plan.checklists) checklists.push(await addChecklistTo(tx, deps, ticketId, { templateId: c.templateId }));
  const usageCount = await deps.macros.countUse(tx, macroId);
  const after = (await deps.tickets.find(tx, ticketId))!;
  const applied = { id: macro.id, name: macro.name, version: macro.version };
  await deps.tickets.recordHistory(tx, ticketId, 'ticket.macro_applied', {
    macro: { to: { ...applied, fields: Object.keys(plan.changes), messages: messages.map((m) => m.id), checklists: checklists.map((c) => c.id) } },
  });
  await tx.audit({ action: 'ticket.macro_applied', entityType: 'ticket', entityId: ticketId, before: { version: ticket.version }, after: { macroId: macro.id, macroVersion: macro.version, version: after.version } });
  await tx.emit(MacroAppliedEvent.of(ticketId, { macroId: macro.id, macroName: macro.name, macroVersion: macro.version, version: after.version }));
  return { ticket: after, messages, checklists, macro: { ...applied, usageCount } };
}

@CommandHandler(ApplyMacroCommand)
export class ApplyMacroHandler implements ICommandHandler<ApplyMacroCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly groups: GroupsRepository,
    private readonly checklists: ChecklistsRepository,
    private readonly macros: MacrosRepository,
    private readonly channels: ChannelsRepository,
    /** Absent in unit specs; the module always provides it (triggers run in the same transaction, ADR 0046). */
    @Optional() @Inject(TICKET_TRIGGERS) private readonly triggers?: TicketTriggers,
  ) {}

  execute({ context, ticketId, macroId, agent, expectedVersion }: ApplyMacroCommand): Promise<MacroApplied> {
    const deps = { queries: this.queries, tickets: this.tickets, messages: this.messages, groups: this.groups, checklists: this.checklists, macros: this.macros, channels: this.channels };
    return this.tx.run(context, async (tx) => {
      const from = tx.events.length;
      const applied = await applyMacro(tx, deps, ticketId, macroId, agent, expectedVersion);
      const fired = await this.triggers?.afterCommand(tx, from);
      return fired?.get(applied.ticket.id)?.firings.length ? { ...applied, ticket: (await this.tickets.find(tx, applied.ticket.id))! } : applied;
    });
  }
}
