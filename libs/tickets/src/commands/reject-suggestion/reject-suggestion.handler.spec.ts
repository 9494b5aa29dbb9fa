import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { SuggestionView } from '../../repositories/suggestions.sql';
import { aSuggestion, fakeSuggestions, TICKET_ID } from '../../testing/fake-repositories';
import { RejectSuggestionCommand } from './reject-suggestion.command';
import { RejectSuggestionHandler } from './reject-suggestion.handler';

const context = testContext();
const SUGGESTION_ID = 'suggestion-1';

function setup(suggestion: SuggestionView | null) {
  const tx = new FakeTenantTransaction();
  const suggestions = fakeSuggestions(...(suggestion ? [suggestion] : []));
  const handler = new RejectSuggestionHandler(tx.asTenantTransaction(), suggestions as unknown as SuggestionsRepository);
  const reject = (reason: string | null) => handler.execute(new RejectSuggestionCommand(context, TICKET_ID, SUGGESTION_ID, reason));
  return { tx, suggestions, reject };
}

describe('RejectSuggestionHandler', () => {
  it('records the rejection with the agent’s reason, its audit entry and event', async () => {
    const { tx, reject } = setup(aSuggestion({ id: SUGGESTION_ID, kind: 'triage', confidence: 0.4 }));
    const rejected = await reject('  Wrong product  ');

    expect(rejected).toMatchObject({ status: 'rejected', reason: 'Wrong product', applied: null, decidedBy: { type: 'user', id: context.actorId } });
    expect(tx.audits).toEqual([
      { action: 'ticket.ai_suggestion_rejected', entityType: 'ticket_ai_suggestion', entityId: SUGGESTION_ID, before: { status: 'pending' }, after: { status: 'rejected', ticketId: TICKET_ID, kind: 'triage', reason: 'Wrong product', applied: null } },
    ]);
    expect(tx.emitted).toEqual([
      { type: 'tickets.ai_suggestion_rejected', aggregateId: TICKET_ID, payload: { suggestionId: SUGGESTION_ID, kind: 'triage', provider: 'fake', model: 'fake-1', confidence: 0.4, reason: 'Wrong product', applied: null } },
    ]);
  });

  it('stores a blank reason as none', async () => {
    const { reject } = setup(aSuggestion({ id: SUGGESTION_ID }));
    expect((await reject('   ')).reason).toBeNull();
  });

  it('refuses a suggestion already decided with 409, keeping the first decision', async () => {
    const { tx, suggestions, reject } = setup(aSuggestion({ id: SUGGESTION_ID, status: 'accepted', decidedAt: '2026-12-02T00:00:00.000Z' }));
    await expect(reject(null)).rejects.toMatchObject({ problem: { status: 409, type: 'suggestion-already-decided', detail: expect.stringContaining('already accepted at 2026-12-02T00:00:00.000Z') } });
    expect(suggestions.decide).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('answers 404 for a missing suggestion', async () => {
    const { tx, reject } = setup(null);
    await expect(reject(null)).rejects.toMatchObject({ problem: { status: 404, detail: `AI suggestion ${SUGGESTION_ID} does not exist.` } });
    expect(tx.events).toEqual([]);
  });
});
