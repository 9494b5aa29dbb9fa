import { jest } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import { ProblemException } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { aMessage, aSuggestion, aTicket, fakeSuggestions, fakeTickets, NOW, TICKET_ID } from '../../testing/fake-repositories';
import { AddMessageCommand } from '../add-message/add-message.command';
import { UpdateTicketCommand } from '../update-ticket/update-ticket.command';
import { AcceptSuggestionCommand, type SuggestionEdits } from './accept-suggestion.command';
import { AcceptSuggestionHandler } from './accept-suggestion.handler';

const context = testContext();
const SUGGESTION_ID = 'suggestion-1';
const triage = aSuggestion({
  id: SUGGESTION_ID,
  kind: 'triage',
  output: { priority: { value: 'high', confidence: 0.9 }, tags: [{ value: 'heating', confidence: 0.8 }], group: null },
  confidence: 0.9,
  ticketVersion: 3,
});

function setup(suggestion: SuggestionView | null, ticket = aTicket({ version: 3, tags: ['vip'] })) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(ticket);
  const suggestions = fakeSuggestions(...(suggestion ? [suggestion] : []));
  const commands = {
    execute: jest.fn(async (command: unknown) => {
      if (command instanceof AddMessageCommand) return aMessage({ id: 'message-1', authorType: 'agent', ...command.message });
      if (command instanceof UpdateTicketCommand) return aTicket({ ...ticket, ...command.changes, version: ticket.version + 1 });
      throw new Error('unexpected command');
    }),
  };
  const handler = new AcceptSuggestionHandler(tx.asTenantTransaction(), commands as unknown as CommandBus, tickets as unknown as TicketsRepository, suggestions as unknown as SuggestionsRepository);
  const accept = (edits: SuggestionEdits = {}, expectedVersion: number | null = null) => handler.execute(new AcceptSuggestionCommand(context, TICKET_ID, SUGGESTION_ID, edits, expectedVersion));
  return { tx, commands, suggestions, accept };
}

const decided = (tx: FakeTenantTransaction) => tx.emitted.filter((e) => e.type.startsWith('tickets.ai_suggestion_'));

describe('AcceptSuggestionHandler', () => {
  it('sends a draft as the agent’s public reply and records the decision with what it became', async () => {
    const { tx, commands, accept } = setup(aSuggestion({ id: SUGGESTION_ID }));
    const result = await accept();

    const sent = commands.execute.mock.calls[0]![0] as AddMessageCommand;
    expect(sent).toBeInstanceOf(AddMessageCommand);
    expect(sent).toMatchObject({ ticketId: TICKET_ID, message: { body: 'Please bleed the radiators.', visibility: 'public', author: 'agent' } });
    const applied = { messageId: 'message-1', visibility: 'public', edited: false };
    expect(result.suggestion).toMatchObject({ status: 'accepted', decidedBy: { type: 'user', id: context.actorId }, decidedAt: NOW, applied });
    expect(result.message).toMatchObject({ id: 'message-1' });
    expect(tx.audits).toEqual([
      { action: 'ticket.ai_suggestion_accepted', entityType: 'ticket_ai_suggestion', entityId: SUGGESTION_ID, before: { status: 'pending' }, after: { status: 'accepted', ticketId: TICKET_ID, kind: 'draft', reason: null, applied } },
    ]);
    expect(decided(tx)).toEqual([
      { type: 'tickets.ai_suggestion_accepted', aggregateId: TICKET_ID, payload: { suggestionId: SUGGESTION_ID, kind: 'draft', provider: 'fake', model: 'fake-1', confidence: null, reason: null, applied } },
    ]);
  });

  it('sends the agent’s edited text, as an internal note when asked, and says it was edited', async () => {
    const { commands, accept } = setup(aSuggestion({ id: SUGGESTION_ID }));
    const { suggestion } = await accept({ body: 'Please bleed the radiators today.', visibility: 'internal' });
    expect(commands.execute.mock.calls[0]![0]).toMatchObject({ message: { body: 'Please bleed the radiators today.', visibility: 'internal' } });
    expect(suggestion.applied).toEqual({ messageId: 'message-1', visibility: 'internal', edited: true });
  });

  it('refuses a draft for a ticket changed since the agent’s If-Match with 412, sending nothing', async () => {
    const { tx, commands, suggestions, accept } = setup(aSuggestion({ id: SUGGESTION_ID }));
    await expect(accept({}, 2)).rejects.toMatchObject({ problem: { status: 412, type: 'precondition-failed' } });
    expect(commands.execute).not.toHaveBeenCalled();
    expect(suggestions.decide).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('applies a triage through UpdateTicketCommand for the version it was made for, adding tags to the ticket’s', async () => {
    const { tx, commands, accept } = setup(triage);
    const result = await accept();

    const sent = commands.execute.mock.calls[0]![0] as UpdateTicketCommand;
    expect(sent).toBeInstanceOf(UpdateTicketCommand);
    expect(sent).toMatchObject({ ticketId: TICKET_ID, changes: { priority: 'high', tags: ['vip', 'heating'] }, expectedVersion: 3 });
    expect(result.ticket).toMatchObject({ priority: 'high', version: 4 });
    expect(result.suggestion.applied).toEqual({ fields: ['priority', 'tags'], priority: 'high', tagsAdded: ['heating'], edited: false, ticketVersion: 4 });
    expect(decided(tx).map((e) => e.type)).toEqual(['tickets.ai_suggestion_accepted']);
  });

  it('applies only the chosen triage fields, with the agent’s values and their If-Match', async () => {
    const { commands, accept } = setup(triage);
    const { suggestion } = await accept({ fields: ['priority'], priority: 'urgent' }, 7);
    expect(commands.execute.mock.calls[0]![0]).toMatchObject({ changes: { priority: 'urgent' }, expectedVersion: 7 });
    expect((commands.execute.mock.calls[0]![0] as UpdateTicketCommand).changes).not.toHaveProperty('tags');
    expect(suggestion.applied).toMatchObject({ fields: ['priority'], priority: 'urgent', edited: true });
  });

  it('leaves the suggestion pending when the ticket refuses the triage', async () => {
    const { tx, commands, suggestions, accept } = setup(triage);
    commands.execute.mockRejectedValueOnce(new ProblemException({ status: 412, type: 'precondition-failed', title: 'Precondition Failed', detail: 'stale' }));
    await expect(accept()).rejects.toMatchObject({ problem: { status: 412 } });
    expect(suggestions.decide).not.toHaveBeenCalled();
    expect(suggestions.rows.get(SUGGESTION_ID)!.status).toBe('pending');
    expect(tx.events).toEqual([]);
  });

  it('accepts a summary without touching the ticket, or keeps it as an internal note when asked', async () => {
    const summary = aSuggestion({ id: SUGGESTION_ID, kind: 'summary', output: { text: 'Boiler knocks.' } });
    const plain = setup(summary);
    expect((await plain.accept()).suggestion).toMatchObject({ status: 'accepted', applied: null });
    expect(plain.commands.execute).not.toHaveBeenCalled();

    const asNote = setup(summary);
    await asNote.accept({ asNote: true });
    expect(asNote.commands.execute.mock.calls[0]![0]).toMatchObject({ message: { body: 'Boiler knocks.', visibility: 'internal' } });
  });

  it.each([
    ['asNote on a draft', aSuggestion({ id: SUGGESTION_ID }), { asNote: true }, 'asNote'],
    ['a priority on a summary', aSuggestion({ id: SUGGESTION_ID, kind: 'summary' }), { priority: 'high' }, 'priority'],
    ['no triage field at all', triage, { fields: [] }, 'fields'],
  ] as const)('refuses %s with 400 and decides nothing', async (_, suggestion, edits, field) => {
    const { tx, commands, accept } = setup(suggestion);
    await expect(accept(edits as SuggestionEdits)).rejects.toMatchObject({ problem: { status: 400, type: 'validation-failed', errors: [expect.objectContaining({ field })] } });
    expect(commands.execute).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses an empty draft with 422 suggestion-empty', async () => {
    const { tx, accept } = setup(aSuggestion({ id: SUGGESTION_ID, output: { body: '  ' } }));
    await expect(accept()).rejects.toMatchObject({ problem: { status: 422, type: 'suggestion-empty' } });
    expect(tx.events).toEqual([]);
  });

  it.each(['accepted', 'rejected', 'superseded', 'invalid'] as const)('refuses a %s suggestion with 409 and applies nothing', async (status) => {
    const { tx, commands, suggestions, accept } = setup(aSuggestion({ id: SUGGESTION_ID, status }));
    await expect(accept()).rejects.toMatchObject({ problem: { status: 409, type: 'suggestion-already-decided', extensions: { suggestionStatus: status } } });
    expect(commands.execute).not.toHaveBeenCalled();
    expect(suggestions.decide).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a suggestion that is not this ticket’s', async () => {
    const { tx, accept } = setup(aSuggestion({ id: SUGGESTION_ID, ticketId: '99999999-9999-4999-8999-999999999999' }));
    await expect(accept()).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.events).toEqual([]);
  });
});
