import { randomUUID } from 'node:crypto';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { ChannelsRepository } from '../../../channels/repositories/channels.repository';
import { appendMessage } from '../../../commands/add-message/add-message.handler';
import { applyTicketChanges } from '../../../commands/update-ticket/update-ticket.handler';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { MessagesRepository } from '../../../repositories/messages.repository';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import { readActions, readConditions } from '../../domain/rules';
import type { TriggerRule } from '../../domain/trigger-passes';
import { TriggerEngine } from '../../trigger-engine';
import { DryRunTriggersQuery, type DryRunResult } from './dry-run-triggers.query';

/** Thrown to roll the dry run's transaction back, carrying what it found. */
class DryRunDone extends Error {
  constructor(readonly result: DryRunResult) {
    super('dry run rolled back');
  }
}

/**
 * Runs the proposed change and the triggers exactly as an update would (same paths, same checks,
 * same order), then rolls the transaction back: nothing is written, no event leaves, and what
 * each firing would change is what it did change before the rollback.
 */
@QueryHandler(DryRunTriggersQuery)
export class DryRunTriggersHandler implements IQueryHandler<DryRunTriggersQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly messages: MessagesRepository,
    private readonly groups: GroupsRepository,
    private readonly channels: ChannelsRepository,
    private readonly engine: TriggerEngine,
  ) {}

  async execute({ context, ticketId, proposed, rules }: DryRunTriggersQuery): Promise<DryRunResult> {
    const unsaved: TriggerRule[] | undefined = rules?.map((r, i) => {
      try {
        return { id: r.id ?? randomUUID(), name: r.name, version: 0, conditions: readConditions(r.conditions, 'trigger'), actions: readActions(r.actions) };
      } catch (error) {
        if (!(error instanceof ProblemException)) throw error;
        // The problem names the rule it is about: `rules[1].conditions.all[0].value`.
        const errors = (error.problem.errors ?? []).map((e) => ({ ...e, field: `rules[${i}].${e.field}` }));
        throw new ProblemException({ ...error.problem, detail: `rules[${i}]: ${error.problem.detail}`, errors });
      }
    });
    try {
      await this.tx.run(context, async (tx) => {
        const deps = { queries: this.queries, tickets: this.tickets, messages: this.messages, groups: this.groups, channels: this.channels };
        if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
        const from = tx.events.length;
        if (Object.keys(proposed.changes).length > 0) await applyTicketChanges(tx, deps, ticketId, proposed.changes, null);
        if (proposed.message) await appendMessage(tx, deps, ticketId, proposed.message);
        const results = await this.engine.afterCommand(tx, from, unsaved);
        const result = results.get(ticketId);
        throw new DryRunDone({ ticketId, ticket: result?.ticket ?? (await this.tickets.find(tx, ticketId))!, firings: result?.firings ?? [], capped: result?.capped ?? null });
      });
    } catch (error) {
      if (error instanceof DryRunDone) return error.result;
      throw error;
    }
    throw new Error('unreachable: a dry run always rolls back');
  }
}
