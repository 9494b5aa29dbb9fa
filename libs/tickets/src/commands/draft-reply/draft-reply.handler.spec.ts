import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { QueryBus } from '@nestjs/cqrs';
import { GetChunksQuery, SearchArticlesQuery, type ChunkText, type SearchResult } from '@switchboard/knowledge-base';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { MessagesRepository } from '../../repositories/messages.repository';
import type { SuggestionsRepository } from '../../repositories/suggestions.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { fakeAi } from '../../testing/fake-ai';
import type { GroupsRepository } from '../../repositories/groups.repository';
import { AGENT_ID, aMessage, aTicket, fakeGroups, fakeMessages, fakeSuggestions, fakeTickets, TICKET_ID } from '../../testing/fake-repositories';
import { DraftReplyCommand } from './draft-reply.command';
import { DraftReplyHandler } from './draft-reply.handler';
import type { PlanFeaturePolicy } from '@switchboard/platform';

const context = testContext();
const hit = (n: number): SearchResult => ({ articleId: `article-${n}`, title: `Article ${n}`, slug: `article-${n}`, locale: 'en', chunkId: `chunk-${n}`, heading: n === 1 ? 'Bleeding radiators' : `Article ${n}`, snippet: '…', score: 1 / n });
const chunk = (n: number): ChunkText => ({ chunkId: `chunk-${n}`, articleId: `article-${n}`, heading: '', content: `Full text of chunk ${n}.` });

const conversation = [
  aMessage({ id: 'm1', body: 'My boiler knocks.', createdAt: '2026-12-01T09:00:00.000Z' }),
  aMessage({ id: 'm2', authorType: 'agent', authorId: AGENT_ID, visibility: 'internal', body: 'Customer owes us money, be careful.', createdAt: '2026-12-01T10:00:00.000Z' }),
  aMessage({ id: 'm3', body: 'Now it also leaks water.', createdAt: '2026-12-01T11:00:00.000Z' }),
];

function setup(search: (query: unknown) => Promise<unknown>, plans?: PlanFeaturePolicy) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(aTicket({ subject: 'Boiler', version: 5 }));
  const suggestions = fakeSuggestions();
  const queries = { execute: jest.fn(search) };
  const ai = fakeAi(tx, 'Dear customer, please bleed the radiators.');
  const handler = new DraftReplyHandler(
    tx.asTenantTransaction(),
    queries as unknown as QueryBus,
    ai.asGateway(),
    ai.asTemplates(),
    ai.config,
    tickets as unknown as TicketsRepository,
    fakeMessages(conversation) as unknown as MessagesRepository,
    suggestions as unknown as SuggestionsRepository,
    fakeGroups() as unknown as GroupsRepository,
    plans,
  );
  return { tx, queries, ai, draft: () => handler.execute(new DraftReplyCommand(context, TICKET_ID)) };
}

describe('DraftReplyHandler', () => {
  it('refuses with 402 before reading anything when the tenant’s plan lacks AI assists', async () => {
    const { tx, queries, ai, draft } = setup(async () => ({ results: [] }), { planFeature: async () => ({ included: false, plan: 'Free' }) });
    await expect(draft()).rejects.toMatchObject({ problem: { status: 402, type: 'plan-feature-unavailable', extensions: { feature: 'ai_assists', plan: 'Free' } } });
    expect(queries.execute).not.toHaveBeenCalled();
    expect(ai.templates.render).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('grounds the draft in public help-center passages still published, and never shows internal notes to the model', async () => {
    const { tx, queries, ai, draft } = setup(async (query) => {
      if (query instanceof SearchArticlesQuery) return { results: [hit(1), hit(2), hit(3)] };
      if (query instanceof GetChunksQuery) return [chunk(1), chunk(3)]; // chunk 2 was unpublished since the search
      throw new Error('unexpected query');
    });
    const stored = await draft();

    const search = queries.execute.mock.calls[0]![0] as SearchArticlesQuery;
    expect(search.input).toMatchObject({ tenantId: context.tenantId, q: 'Boiler Now it also leaks water.', audience: 'public', mode: 'hybrid', limit: 3 });
    const chunks = queries.execute.mock.calls[1]![0] as GetChunksQuery;
    expect(chunks).toMatchObject({ chunkIds: ['chunk-1', 'chunk-2', 'chunk-3'], audience: 'public' });

    const variables = ai.templates.render.mock.calls[0]![2] as { conversation: string; passages: { title: string; text: string }[] };
    expect(variables.conversation).toContain('My boiler knocks.');
    expect(variables.conversation).not.toContain('owes us money');
    expect(variables.passages).toEqual([
      { title: 'Article 1 — Bleeding radiators', text: 'Full text of chunk 1.' },
      { title: 'Article 3', text: 'Full text of chunk 3.' },
    ]);
    expect(ai.callsInsideTransaction).toEqual([]);

    expect(stored).toMatchObject({ kind: 'draft', status: 'pending', ticketVersion: 5 });
    expect(stored.output).toEqual({
      body: 'Dear customer, please bleed the radiators.',
      grounding: 'knowledge-base',
      passages: [
        { articleId: 'article-1', title: 'Article 1', heading: 'Bleeding radiators', slug: 'article-1', chunkId: 'chunk-1', text: 'Full text of chunk 1.' },
        { articleId: 'article-3', title: 'Article 3', heading: 'Article 3', slug: 'article-3', chunkId: 'chunk-3', text: 'Full text of chunk 3.' },
      ],
    });
    expect(tx.emitted.map((e) => e.type)).toEqual(['tickets.ai_suggestion_created']);
  });

  it('drafts ungrounded when nothing matches', async () => {
    const { draft } = setup(async (query) => (query instanceof SearchArticlesQuery ? { results: [] } : []));
    expect((await draft()).output).toMatchObject({ grounding: 'none', passages: [] });
  });

  it('drafts anyway, marked unavailable, when the knowledge base cannot be searched', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { tx, draft } = setup(async () => {
      throw new Error('search index is rebuilding');
    });
    expect((await draft()).output).toMatchObject({ grounding: 'unavailable', passages: [] });
    expect(tx.emitted).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ ticketId: TICKET_ID }), expect.stringContaining('search failed'));
    warn.mockRestore();
  });
});
