import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { MessagesRepository } from '../../repositories/messages.repository';
import type { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { fakeAi } from '../../testing/fake-ai';
import type { GroupsRepository } from '../../repositories/groups.repository';
import { aGroup, aMessage, aSuggestion, aTicket, fakeGroups, fakeMessages, fakeSuggestions, fakeTickets, TICKET_ID } from '../../testing/fake-repositories';
import { TriageTicketCommand } from './triage-ticket.command';
import { NO_GROUPS_REASON, TriageTicketHandler } from './triage-ticket.handler';

const context = testContext();

function setup(...answers: string[]) {
  return setupWith([], ...answers);
}

function setupWith(groupList: ReturnType<typeof aGroup>[], ...answers: string[]) {
  const tx = new FakeTenantTransaction();
  const groups = fakeGroups(groupList);
  const tickets = fakeTickets(aTicket({ version: 2 }));
  tickets.knownTags.mockResolvedValue(['billing', 'heating']);
  const suggestions = fakeSuggestions(aSuggestion({ id: 'older-triage', kind: 'triage', status: 'pending' }));
  const ai = fakeAi(tx, ...answers);
  const handler = new TriageTicketHandler(
    tx.asTenantTransaction(),
    ai.asGateway(),
    ai.asTemplates(),
    ai.config,
    tickets as unknown as TicketsRepository,
    fakeMessages([aMessage()]) as unknown as MessagesRepository,
    suggestions as unknown as SuggestionsRepository,
    groups as unknown as GroupsRepository,
  );
  return { tx, suggestions, ai, triage: () => handler.execute(new TriageTicketCommand(context, TICKET_ID)) };
}

describe('TriageTicketHandler', () => {
  it('stores a valid answer as a pending triage: rounded confidences, one entry per tag, no group', async () => {
    const answer = { priority: { value: 'high', confidence: 0.87654 }, tags: [{ value: 'heating', confidence: 0.9 }, { value: 'heating', confidence: 0.61234 }] };
    const { tx, suggestions, ai, triage } = setup(JSON.stringify(answer));
    const stored = await triage();

    expect(ai.templates.render.mock.calls[0]![2]).toMatchObject({ priorities: ['low', 'normal', 'high', 'urgent'], tags: ['billing', 'heating'] });
    expect(ai.gateway.structured).toHaveBeenCalledTimes(1);
    expect(ai.gateway.structured.mock.calls[0]![2]).toMatchObject({ schemaName: 'triage', temperature: 0 });
    expect(stored).toMatchObject({ kind: 'triage', status: 'pending', confidence: 0.877, ticketVersion: 2 });
    expect(stored.output).toEqual({ priority: { value: 'high', confidence: 0.877 }, tags: [{ value: 'heating', confidence: 0.612 }], group: null, notes: { group: NO_GROUPS_REASON } });
    expect(suggestions.rows.get('older-triage')!.status).toBe('superseded');
    expect(tx.emitted).toEqual([expect.objectContaining({ type: 'tickets.ai_suggestion_created', payload: expect.objectContaining({ status: 'pending', confidence: 0.877, superseded: ['older-triage'] }) })]);
  });

  it('retries an invalid answer once and stores a corrected one', async () => {
    const { ai, triage } = setup('{"priority": "high"}', JSON.stringify({ priority: { value: 'low', confidence: 0.5 }, tags: [] }));
    expect((await triage()).status).toBe('pending');
    expect(ai.gateway.structured).toHaveBeenCalledTimes(2);
  });

  it('keeps a twice-invalid answer as an invalid suggestion that supersedes nothing, and answers 422', async () => {
    const { tx, suggestions, triage } = setup('not json', '{"priority": {"value": "someday", "confidence": 2}, "tags": []}');
    const refusal = triage();
    await expect(refusal).rejects.toMatchObject({ problem: { status: 422, type: 'ai-triage-invalid', extensions: { suggestionId: 'suggestion-2', provider: 'fake', model: 'fake-1' } } });

    const invalid = suggestions.rows.get('suggestion-2')!;
    expect(invalid).toMatchObject({ kind: 'triage', status: 'invalid', confidence: null });
    expect(invalid.output).toMatchObject({ answer: expect.stringContaining('someday'), errors: expect.arrayContaining([expect.objectContaining({ field: 'priority.value' })]) });
    expect(suggestions.supersedePending).not.toHaveBeenCalled();
    expect(suggestions.rows.get('older-triage')!.status).toBe('pending');
    // Stored (and announced) in its own transaction before the refusal, so provider quality can be reported.
    expect(tx.emitted).toEqual([expect.objectContaining({ type: 'tickets.ai_suggestion_created', payload: expect.objectContaining({ status: 'invalid', superseded: [] }) })]);
  });

  it('routes to one of the tenant’s groups: offered by name in the prompt, answered with its id', async () => {
    const billing = aGroup({ name: 'Billing', description: 'Invoices and refunds' });
    const field = aGroup({ id: '12121212-1212-4121-8121-121212121212', name: 'Field team' });
    const answer = { priority: { value: 'normal', confidence: 0.6 }, tags: [], group: { value: 'Billing', confidence: 0.71234 } };
    const { ai, triage } = setupWith([billing, field], JSON.stringify(answer));
    const stored = await triage();
    expect(ai.templates.render.mock.calls[0]![2]).toMatchObject({ groups: '- Billing: Invoices and refunds\n- Field team', hasTags: 'yes' });
    const schema = ai.gateway.structured.mock.calls[0]![2].schema as { properties: { group: { properties: { value: { enum: unknown[] } } } } };
    expect(schema.properties.group.properties.value.enum).toEqual(['Billing', 'Field team', null]);
    expect(stored.output).toMatchObject({ group: { value: billing.id, name: 'Billing', confidence: 0.712 }, notes: {} });
  });

  it('treats a group name that is not the tenant’s as no group, and says so', async () => {
    const answer = { priority: { value: 'normal', confidence: 0.6 }, tags: [], group: { value: 'Sales', confidence: 0.9 } };
    const { triage } = setupWith([aGroup()], JSON.stringify(answer));
    expect((await triage()).output).toMatchObject({ group: null, notes: { group: expect.stringContaining('"Sales"') } });
  });

  it('is refused before any model call when the ticket’s group switched triage off', async () => {
    const { ai, triage, tickets } = setupWithTicketInGroup(aGroup({ aiAssists: { summary: true, draft: true, triage: false } }));
    void tickets;
    await expect(triage()).rejects.toMatchObject({ problem: { status: 403, type: 'ai-assist-disabled' } });
    expect(ai.gateway.structured).not.toHaveBeenCalled();
  });
});

function setupWithTicketInGroup(group: ReturnType<typeof aGroup>) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(aTicket({ version: 2, groupId: group.id }));
  const ai = fakeAi(tx);
  const handler = new TriageTicketHandler(
    tx.asTenantTransaction(),
    ai.asGateway(),
    ai.asTemplates(),
    ai.config,
    tickets as unknown as TicketsRepository,
    fakeMessages([aMessage()]) as unknown as MessagesRepository,
    fakeSuggestions() as unknown as SuggestionsRepository,
    fakeGroups([group]) as unknown as GroupsRepository,
  );
  return { ai, tickets, triage: () => handler.execute(new TriageTicketCommand(context, TICKET_ID)) };
}
