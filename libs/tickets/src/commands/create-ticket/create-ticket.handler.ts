import { Inject, Optional } from '@nestjs/common';
import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TICKET_TRIGGERS, type TicketTriggers } from '../../triggers/ticket-triggers';
import { FindOrCreateContactCommand } from '@switchboard/customers';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { assertAssigneeInGroup, assertLiveGroup } from '../../domain/groups';
import { assertAssignee, assertRequester } from '../../domain/references';
import { planFieldValues } from '../../domain/ticket-field-values';
import { GroupsRepository } from '../../repositories/groups.repository';
import { normaliseTags } from '../../domain/ticket';
import { MessagesRepository } from '../../repositories/messages.repository';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { CreateTicketCommand } from './create-ticket.command';

/** Channels through which customers themselves open tickets. */
const CUSTOMER_CHANNELS: readonly string[] = ['email', 'chat', 'telegram', 'whatsapp'];
import { TicketAssigned, TicketCreated, type TicketSnapshot } from '../../tickets.context';

/**
 * A ticket with its per-tenant number, its first message (the description, from the requester),
 * history, audit and events, in one transaction. The number comes from a counter row whose lock
 * serialises only ticket creation in that tenant.
 */
@CommandHandler(CreateTicketCommand)
export class CreateTicketHandler implements ICommandHandler<CreateTicketCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly groups: GroupsRepository,
    /** Absent in unit specs of creation itself; the module always provides it. */
    @Optional() @Inject(TICKET_TRIGGERS) private readonly triggers?: TicketTriggers,
  ) {}

  execute({ context, input }: CreateTicketCommand): Promise<TicketView> {
    if ((input.requesterId === undefined) === (input.requester === undefined)) {
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        title: 'Bad Request',
        detail: 'Send exactly one of requesterId and requester.',
        errors: [{ field: 'requesterId', message: 'exactly one of requesterId and requester is required' }],
      });
    }
    const tags = normaliseTags(input.tags ?? []);
    return this.tx.run(context, async (tx) => {
      const from = tx.events.length;
      // The reference checks and the number are independent: one pipelined round. A refused
      // reference rolls the counter back with everything else.
      const [requesterId, , number] = await Promise.all([
        input.requesterId
          ? assertRequester(this.queries, context.tenantId, input.requesterId).then(() => input.requesterId!)
          : this.commands
              .execute(new FindOrCreateContactCommand(context, { email: input.requester!.email }, input.requester!.name))
              .then((found) => found.contact.id),
        input.assigneeId && assertAssignee(this.queries, context.tenantId, input.assigneeId),
        this.tickets.nextNumber(tx),
      ]);
      if (input.groupId) {
        const group = await assertLiveGroup(tx, this.groups, input.groupId);
        if (input.assigneeId) await assertAssigneeInGroup(tx, this.groups, group, input.assigneeId);
      }
      // A ticket a customer opens through a channel cannot fill fields: agents complete them before solving.
      const requireAtCreate = !CUSTOMER_CHANNELS.includes(input.channel ?? 'api');
      const plan = await planFieldValues(
        tx,
        { queries: this.queries, tickets: this.tickets },
        { current: { formId: null, fields: {} }, formId: input.formId, values: input.fields, creating: true, requireAtCreate, solving: false },
      );
      const inserted = await this.tickets.insert(tx, {
        number,
        subject: input.subject,
        priority: input.priority ?? 'normal',
        type: input.type ?? 'question',
        channel: input.channel ?? 'api',
        requesterId,
        assigneeId: input.assigneeId ?? null,
        groupId: input.groupId ?? null,
        tags,
        dueAt: input.dueAt ?? null,
        externalId: input.externalId ?? null,
        formId: plan.formId,
      });
      await Promise.all(plan.writes.map((w) => this.tickets.writeFieldValue(tx, inserted.id, w.field.id, w.stored)));
      const ticket = plan.writes.length > 0 ? (await this.tickets.find(tx, inserted.id))! : inserted;
      const id = ticket.id;
      const { createdAt: _c, updatedAt: _u, version: _v, ...rest } = ticket;
      const snapshot: TicketSnapshot = rest;
      // Independent writes: sent together in the transaction's pipeline, answered in order.
      await Promise.all([
        input.description && this.messages.insertDescription(tx, id, requesterId, input.description),
        this.tickets.recordHistory(tx, id, 'ticket.created', Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, { to: v }]))),
        tx.audit({ action: 'ticket.created', entityType: 'ticket', entityId: id, after: snapshot }),
        tx.emit(
          TicketCreated.of(id, { ticket: snapshot, version: ticket.version }),
          ...(input.assigneeId ? [TicketAssigned.of(id, { from: null, to: input.assigneeId, version: ticket.version })] : []),
        ),
      ]);
      // Triggers run in the same transaction (ADR 0046); the answer is the ticket as they left it.
      const fired = await this.triggers?.afterCommand(tx, from);
      return fired?.get(id)?.firings.length ? (await this.tickets.find(tx, id))! : ticket;
    });
  }
}
