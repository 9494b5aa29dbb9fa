import { summaryFeature } from '../../ai/ticket-ai-features';
import { LOCAL_MARKER } from '@switchboard/ai-gateway';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { inputsHash } from '../../domain/suggestion';
import type { MessagesRepository } from '../../repositories/messages.repository';
import type { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { aGatewayResult, fakeAi } from '../../testing/fake-ai';
import type { GroupsRepository } from '../../repositories/groups.repository';
import { aMessage, aSuggestion, aTicket, fakeGroups, fakeMessages, fakeSuggestions, fakeTickets, TICKET_ID } from '../../testing/fake-repositories';
import { SummarizeTicketCommand } from './summarize-ticket.command';
import { SummarizeTicketHandler } from './summarize-ticket.handler';

const context = testContext();

function setup(options: { ticket?: boolean; text?: string } = {}) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(...(options.ticket === false ? [] : [aTicket({ version: 7 })]));
  const messages = fakeMessages([aMessage({ body: 'It knocks every morning.' })]);
  const suggestions = fakeSuggestions(aSuggestion({ id: 'older', kind: 'summary', status: 'pending' }), aSuggestion({ id: 'a-draft', kind: 'draft', status: 'pending' }));
  const ai = fakeAi(tx, options.text ?? '  The boiler knocks every morning.  ');
  const handler = new SummarizeTicketHandler(
    tx.asTenantTransaction(),
    ai.asGateway(),
    ai.asTemplates(),
    ai.config,
    tickets as unknown as TicketsRepository,
    messages as unknown as MessagesRepository,
    suggestions as unknown as SuggestionsRepository,
    fakeGroups() as unknown as GroupsRepository,
  );
  return { tx, tickets, suggestions, ai, summarize: () => handler.execute(new SummarizeTicketCommand(context, TICKET_ID)) };
}

describe('SummarizeTicketHandler', () => {
  it('stores the model’s summary as a pending suggestion for the version it read, superseding the older summary only', async () => {
    const { tx, suggestions, ai, summarize } = setup();
    const stored = await summarize();

    const variables = ai.templates.render.mock.calls[0]![2] as { subject: string; conversation: string };
    expect(variables.subject).toBe('The boiler makes a knocking noise');
    expect(variables.conversation).toContain('Customer: It knocks every morning.');
    expect(ai.gateway.complete).toHaveBeenCalledWith(context, summaryFeature, expect.objectContaining({ messages: [{ role: 'user', content: 'rendered summary' }], temperature: 0.2 }));
    expect(ai.callsInsideTransaction).toEqual([]); // the model is called between two short transactions
    expect(tx.committed).toHaveLength(2);

    expect(stored).toMatchObject({ kind: 'summary', status: 'pending', output: { text: 'The boiler knocks every morning.' }, ticketVersion: 7, provider: 'fake', model: 'fake-1', usageId: 'usage-1' });
    expect(stored.inputsHash).toBe(inputsHash('summary', variables));
    expect(suggestions.rows.get('older')!.status).toBe('superseded');
    expect(suggestions.rows.get('a-draft')!.status).toBe('pending');
    expect(tx.audits).toEqual([
      {
        action: 'ticket.ai_suggestion_created',
        entityType: 'ticket_ai_suggestion',
        entityId: stored.id,
        after: { ticketId: TICKET_ID, kind: 'summary', status: 'pending', provider: 'fake', model: 'fake-1', confidence: null, ticketVersion: 7, inputsSha256: stored.inputsHash },
      },
    ]);
    expect(tx.emitted).toEqual([
      {
        type: 'tickets.ai_suggestion_created',
        aggregateId: TICKET_ID,
        payload: { suggestionId: stored.id, kind: 'summary', status: 'pending', provider: 'fake', model: 'fake-1', confidence: null, ticketVersion: 7, superseded: ['older'] },
      },
    ]);
  });

  it('keeps the offline provider’s marker out of the text', async () => {
    const { summarize } = setup({ text: `${LOCAL_MARKER} Knocking boiler.` });
    expect((await summarize()).output).toEqual({ text: 'Knocking boiler.' });
  });

  it('answers 404 for a missing ticket without calling the model', async () => {
    const { tx, ai, summarize } = setup({ ticket: false });
    await expect(summarize()).rejects.toMatchObject({ problem: { status: 404 } });
    expect(ai.gateway.complete).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('stores nothing when the model call fails', async () => {
    const { tx, suggestions, ai, summarize } = setup();
    ai.gateway.complete.mockRejectedValueOnce(new Error('provider down'));
    await expect(summarize()).rejects.toThrow('provider down');
    expect(suggestions.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 and stores nothing when the ticket went away while the model was writing', async () => {
    const { tx, tickets, suggestions, ai, summarize } = setup();
    ai.gateway.complete.mockImplementationOnce(async () => {
      tickets.rows.clear();
      return aGatewayResult();
    });
    await expect(summarize()).rejects.toMatchObject({ problem: { status: 404 } });
    expect(suggestions.supersedePending).not.toHaveBeenCalled();
    expect(suggestions.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });
});
