import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { FindOrCreateContactCommand } from '@switchboard/customers';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { assertAssignee, assertRequester } from '../../domain/references';
import { normaliseTags } from '../../domain/ticket';
import { recordHistory, TICKET_COLUMNS, toTicketView, type TicketRow, type TicketView } from '../../repositories/tickets.sql';
import { CreateTicketCommand } from './create-ticket.command';
import { TicketAssigned, TicketCreated } from '../../tickets.context';

const FIRST_NUMBER = 1001;

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
      const m = tx.manager;
      // The reference checks and the number are independent: one pipelined round. A refused
      // reference rolls the counter back with everything else.
      const [requesterId, , [{ last_number: number }]] = await Promise.all([
        input.requesterId
          ? assertRequester(this.queries, context.tenantId, input.requesterId).then(() => input.requesterId!)
          : this.commands
              .execute(new FindOrCreateContactCommand(context, { email: input.requester!.email }, input.requester!.name))
              .then((found) => found.contact.id),
        input.assigneeId && assertAssignee(this.queries, context.tenantId, input.assigneeId),
        m.query(
          `INSERT INTO ticket_counters (tenant_id, last_number) VALUES ($1, $2)
           ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1 RETURNING last_number`,
          [context.tenantId, FIRST_NUMBER],
        ) as Promise<{ last_number: number }[]>,
      ]);
      const [row]: TicketRow[] = await m.query(
        `INSERT INTO tickets (tenant_id, number, subject, priority, type, channel, requester_id, assignee_id, tags, due_at, external_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${TICKET_COLUMNS}`,
        [
          context.tenantId,
          number,
          input.subject,
          input.priority ?? 'normal',
          input.type ?? 'question',
          input.channel ?? 'api',
          requesterId,
          input.assigneeId ?? null,
          tags,
          input.dueAt ?? null,
          input.externalId ?? null,
        ],
      );
      const ticket = toTicketView(row);
      const id = ticket.id;
      const { createdAt: _c, updatedAt: _u, version: _v, ...snapshot } = ticket;
      // Independent writes: sent together in the transaction's pipeline, answered in order.
      await Promise.all([
        input.description &&
          m.query(
            `INSERT INTO ticket_messages (tenant_id, ticket_id, visibility, author_type, author_id, body) VALUES ($1, $2, 'public', 'contact', $3, $4)`,
            [context.tenantId, id, requesterId, input.description],
          ),
        recordHistory(tx, id, 'ticket.created', Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, { to: v }]))),
        tx.audit({ action: 'ticket.created', entityType: 'ticket', entityId: id, after: snapshot }),
        tx.emit(
          TicketCreated.of(id, { ticket: snapshot, version: ticket.version }),
          ...(input.assigneeId
            ? [TicketAssigned.of(id, { from: null, to: input.assigneeId, version: ticket.version })]
            : []),
        ),
      ]);
      return ticket;
    });
  }
}
