import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, staleVersion, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { assertPending } from '../../domain/suggestion';
import type { MessageView } from '../../repositories/messages.sql';
import { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import type { TicketView } from '../../repositories/tickets.sql';
import { AddMessageCommand } from '../add-message/add-message.command';
import { recordDecision } from '../shared/suggestions';
import { UpdateTicketCommand, type TicketChanges } from '../update-ticket/update-ticket.command';
import { AcceptSuggestionCommand, type AcceptedSuggestion, type SuggestionEdits } from './accept-suggestion.command';

const ALLOWED: Record<SuggestionView['kind'], (keyof SuggestionEdits)[]> = {
  draft: ['body', 'visibility'],
  summary: ['body', 'asNote'],
  triage: ['fields', 'priority', 'tags', 'groupId'],
};

function assertEditsFit(kind: SuggestionView['kind'], edits: SuggestionEdits): void {
  const wrong = (Object.keys(edits) as (keyof SuggestionEdits)[]).filter((k) => edits[k] !== undefined && !ALLOWED[kind].includes(k));
  if (wrong.length > 0) {
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: `A ${kind} suggestion takes ${ALLOWED[kind].join(', ')} when accepted; ${wrong.join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not apply.`,
      errors: wrong.map((field) => ({ field, message: `does not apply to a ${kind} suggestion` })),
    });
  }
}

const stale = (expected: number, now: number) => staleVersion('ticket', expected, now);

/**
 * Applies a pending suggestion through the ordinary ticket commands — a draft through
 * add-message, a triage through update-ticket with its version check — and records the decision,
 * all in one transaction: if the command refuses (stale version, closed ticket), nothing is
 * decided and the suggestion stays pending.
 */
@CommandHandler(AcceptSuggestionCommand)
export class AcceptSuggestionHandler implements ICommandHandler<AcceptSuggestionCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly tickets: TicketsRepository,
    private readonly suggestions: SuggestionsRepository,
  ) {}

  execute({ context, ticketId, suggestionId, edits, expectedVersion }: AcceptSuggestionCommand): Promise<AcceptedSuggestion> {
    return this.tx.run(context, async (tx) => {
      const suggestion = await this.suggestions.findForUpdate(tx, ticketId, suggestionId);
      if (!suggestion) throw notFound('AI suggestion', suggestionId);
      assertPending(suggestion);
      assertEditsFit(suggestion.kind, edits);
      let ticket: TicketView | null = null;
      let message: MessageView | null = null;
      let applied: Record<string, unknown> | null = null;
      if (suggestion.kind === 'triage') {
        ({ ticket, applied } = await this.applyTriage(tx, suggestion, edits, expectedVersion));
      } else if (suggestion.kind === 'draft' || edits.asNote) {
        if (expectedVersion !== null) await this.checkVersion(tx, ticketId, expectedVersion);
        const proposed = String(suggestion.output[suggestion.kind === 'draft' ? 'body' : 'text'] ?? '');
        const body = edits.body ?? proposed;
        if (!body.trim()) {
          throw new ProblemException({ status: 422, type: 'suggestion-empty', title: 'Unprocessable Content', detail: 'The suggested text is empty; send the text to use in body, or reject the suggestion.', errors: [{ field: 'body', message: 'is empty' }] });
        }
        const visibility = suggestion.kind === 'draft' ? (edits.visibility ?? 'public') : 'internal';
        message = await this.commands.execute(new AddMessageCommand(context, ticketId, { body, visibility, author: 'agent' }));
        applied = { messageId: message.id, visibility, edited: body !== proposed };
      }
      return { suggestion: await recordDecision(tx, this.suggestions, suggestion, 'accepted', null, applied), ticket, message };
    });
  }

  private async checkVersion(tx: TenantTx, ticketId: string, expected: number): Promise<void> {
    // Locked, so no write slips in between this check and the message the draft adds.
    const current = await this.tickets.findForUpdate(tx, ticketId);
    if (current && current.version !== expected) throw stale(expected, current.version);
  }

  private async applyTriage(tx: TenantTx, suggestion: SuggestionView, edits: SuggestionEdits, expectedVersion: number | null): Promise<{ ticket: TicketView; applied: Record<string, unknown> }> {
    const output = suggestion.output as { priority: { value: string }; tags: { value: string }[]; group?: { value: string } | null };
    const suggestedGroup = output.group?.value ?? null;
    const fields = edits.fields ?? (suggestedGroup || edits.groupId ? ['priority', 'tags', 'group'] : ['priority', 'tags']);
    if (fields.length === 0) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'Name at least one field to apply, or reject the suggestion.', errors: [{ field: 'fields', message: 'must not be empty' }] });
    }
    const current = await this.tickets.findForUpdate(tx, suggestion.ticketId);
    const changes: TicketChanges = {};
    const priority = edits.priority ?? output.priority.value;
    const added = edits.tags ?? output.tags.map((t) => t.value);
    if (fields.includes('priority')) changes.priority = priority;
    if (fields.includes('tags')) changes.tags = [...new Set([...(current?.tags ?? []), ...added])];
    const groupId = edits.groupId ?? suggestedGroup;
    if (fields.includes('group')) {
      if (!groupId) {
        throw new ProblemException({ status: 422, type: 'validation-failed', title: 'Unprocessable Content', detail: 'This triage suggested no group; send groupId to choose one, or leave group out of fields.', errors: [{ field: 'fields', message: 'group was not suggested' }] });
      }
      changes.groupId = groupId;
    }
    // The suggestion was made for one version of the ticket; applying it to a later one needs the agent's If-Match.
    const ticket = await this.commands.execute(new UpdateTicketCommand(tx.context, suggestion.ticketId, changes, expectedVersion ?? suggestion.ticketVersion));
    const edited =
      (fields.includes('priority') && edits.priority !== undefined && edits.priority !== output.priority.value) ||
      (fields.includes('tags') && edits.tags !== undefined) ||
      (fields.includes('group') && edits.groupId !== undefined && edits.groupId !== suggestedGroup);
    return {
      ticket,
      applied: { fields, ...(changes.priority ? { priority } : {}), ...(changes.tags ? { tagsAdded: [...new Set(added)] } : {}), ...(changes.groupId ? { groupId: changes.groupId } : {}), edited, ticketVersion: ticket.version },
    };
  }
}
