import { answerFeature } from '../../ai/answer-feature';
import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import type { AiGateway, ChatStreamEvent, EmbeddingsProvider, PromptTemplates } from '@switchboard/ai-gateway';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { KbConfig } from '../../knowledge-base.context';
import type { CategoriesRepository } from '../../repositories/categories.repository';
import type { ChunksRepository } from '../../repositories/chunks.repository';
import type { AnswerCandidate } from '../../repositories/chunks.sql';
import type { QuestionTerm, QuestionWord } from './coverage';
import type { SearchResult } from '../../queries/search-articles/search-articles.query';
import { AnswerPipeline, NOT_FOUND_ANSWER } from './answer-pipeline';
import { AnswerQuestionCommand, StreamAnswerCommand, type AnswerInput } from './answer-question.command';
import { AnswerQuestionHandler, StreamAnswerHandler } from './answer-question.handler';

const hit: SearchResult = { articleId: 'art-1', title: 'Reset your password', slug: 'reset-your-password', locale: 'en', chunkId: 'chunk-1', heading: '', snippet: '', score: 1 };
const passage = (over: Partial<AnswerCandidate> = {}): AnswerCandidate => ({
  chunkId: 'chunk-1',
  articleId: 'art-1',
  ordinal: 0,
  title: 'Reset your password',
  slug: 'reset-your-password',
  locale: 'en',
  visibility: 'public',
  heading: '',
  content: 'Click Forgot password? below the sign-in form.',
  similarity: 0.8,
  lexical: false,
  ...over,
});
const template = { feature: 'answer' as const, version: 1, source: 'default' as const };
const messages = [{ role: 'user' as const, content: 'the rendered prompt' }];
const called = { provider: 'openai', model: 'gpt-x', usage: { promptTokens: 120, completionTokens: 8 }, warning: null, extractive: false, finishReason: 'stop', attempts: 1, usageId: 'u-1' };

const term = (lexeme: string, df: number, inPassages: boolean): QuestionTerm => ({ lexeme, df, nearest: [], inPassages, inArticles: inPassages, synonym: null, learned: null });
/** The question's words as the tenant's vocabulary sees them: by default the passages hold all of them. */
const covered: { terms: QuestionTerm[]; chunks: number } = { terms: [term('reset', 3, true), term('password', 5, true)], chunks: 100 };
/** What the passages' language makes of each word of the question (a sentence of the tenant's language). */
const wordsOf = async (_tx: unknown, ws: { text: string; sentenceStart: boolean }[]): Promise<QuestionWord[]> =>
  ws.map((w) => ({ ...w, ownStop: ['how', 'do', 'i', 'my'].includes(w.text.toLowerCase()), otherStop: false, lexemes: [w.text.toLowerCase().replace(/ion$/, '')] }));

function setup(candidates: AnswerCandidate[], reply = 'Use Forgot password? [1].', terms = covered) {
  const tx = new FakeTenantTransaction();
  const queries = { execute: jest.fn(async () => ({ results: candidates.length ? [hit] : [] })) };
  const categories = { locales: jest.fn(async () => ['en', 'de-de']) };
  const chunks = { vectorDimensions: jest.fn(async () => 3), answerCandidates: jest.fn(async () => candidates), questionTerms: jest.fn(async () => terms), questionWords: jest.fn(wordsOf) };
  const templates = { render: jest.fn(async () => ({ messages, template })) };
  const embeddings = { id: 'local', model: 'm', dimensions: 3, embed: jest.fn(async () => [Float32Array.from([1, 0, 0])]) };
  const config = { KB_ANSWER_CONTEXT_TOKENS: 2000, KB_ANSWER_MIN_COVERAGE: 0.6 } as KbConfig;
  const pipeline = new AnswerPipeline(
    queries as unknown as QueryBus,
    tx.asTenantTransaction(),
    categories as unknown as CategoriesRepository,
    chunks as unknown as ChunksRepository,
    templates as unknown as PromptTemplates,
    embeddings as unknown as EmbeddingsProvider,
    config,
  );
  async function* events(): AsyncIterable<ChatStreamEvent> {
    for (const part of reply.match(/.{1,4}/gs) ?? []) yield { type: 'delta', text: part };
    yield { type: 'done', usage: called.usage, finishReason: 'stop', model: 'gpt-x' };
  }
  const gateway = {
    complete: jest.fn(async () => ({ ...called, text: reply })),
    stream: jest.fn(async () => ({ provider: 'openai', model: 'gpt-x', warning: null, events: events() })),
  };
  const answer = new AnswerQuestionHandler(pipeline, gateway as unknown as AiGateway);
  const stream = new StreamAnswerHandler(pipeline, gateway as unknown as AiGateway);
  const ask = (input: Partial<AnswerInput> = {}) => answer.execute(new AnswerQuestionCommand(testContext(), { question: 'How do I reset my password?', audience: 'public', ...input }));
  return { ask, stream, gateway, templates, embeddings, queries, chunks };
}

const collect = async (deltas: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const d of deltas) out.push(d);
  return out;
};

describe('AnswerQuestionHandler', () => {
  it('answers not found without a model call when the passages miss the question\'s own words (another brand)', async () => {
    const netflix = { terms: [term('cancel', 4, true), term('netflix', 0, false), term('subscript', 6, true)], chunks: 300 };
    const { ask, gateway, chunks } = setup([passage({ title: 'Cancel your subscription', similarity: 0.7 })], 'Cancel it [1].', netflix);
    const result = await ask({ question: 'How do I cancel my Netflix subscription?' });
    expect(result).toMatchObject({ found: false, answer: NOT_FOUND_ANSWER, citations: [] });
    expect(gateway.complete).not.toHaveBeenCalled();
    expect(chunks.questionTerms).toHaveBeenCalledWith(expect.anything(), 'How do I cancel my Netflix subscription?', { chunkIds: ['chunk-1'], articleIds: ['art-1'] }, ['english'], expect.arrayContaining(['netflix', 'cancel my netflix']));
    expect(chunks.questionWords).toHaveBeenCalledWith(expect.anything(), expect.arrayContaining([{ text: 'Netflix', sentenceStart: false }]), ['english'], expect.arrayContaining(['german', 'french']));
  });

  it('answers from the passages through the gateway’s `answer` feature, with citations to the help center', async () => {
    const { ask, gateway, templates } = setup([passage()]);
    const result = await ask({ helpCenterSlug: 'acme' });
    expect(templates.render).toHaveBeenCalledWith(expect.anything(), answerFeature, expect.objectContaining({ question: 'How do I reset my password?', passages: [{ title: 'Reset your password', text: passage().content }] }));
    expect(gateway.complete).toHaveBeenCalledWith(testContext(), answerFeature, { messages, template, maxTokens: 600, temperature: 0.1 }, undefined);
    expect(result).toEqual({
      answer: 'Use Forgot password? [1].',
      found: true,
      citations: [{ articleId: 'art-1', title: 'Reset your password', slug: 'reset-your-password', locale: 'en', url: '/v1/help-center/acme/articles/reset-your-password?locale=en', passages: [1] }],
      provider: 'openai',
      model: 'gpt-x',
      extractive: false,
      usage: called.usage,
      budgetWarning: null,
    });
  });

  it('refuses to call a model when retrieval is weak: not found, nothing metered', async () => {
    const { ask, gateway, templates } = setup([passage({ similarity: 0.3 })]);
    await expect(ask()).resolves.toEqual({ answer: NOT_FOUND_ANSWER, found: false, citations: [], provider: null, model: null, extractive: false, budgetWarning: null });
    expect(templates.render).not.toHaveBeenCalled();
    expect(gateway.complete).not.toHaveBeenCalled();
  });

  it('takes a full-text match as strong even when its similarity is low', async () => {
    const { ask, gateway } = setup([passage({ similarity: 0.1, lexical: true })]);
    await ask();
    expect(gateway.complete).toHaveBeenCalledTimes(1);
  });

  it('turns the model’s NOT_FOUND into “not found”, still naming the metered call', async () => {
    const { ask } = setup([passage()], 'NOT_FOUND.');
    await expect(ask()).resolves.toMatchObject({ answer: NOT_FOUND_ANSWER, found: false, citations: [], provider: 'openai', model: 'gpt-x', usage: called.usage });
  });

  it('drops citation numbers the prompt never had', async () => {
    const { ask } = setup([passage()], 'It takes a minute [7]. Use Forgot password? [1].');
    await expect(ask()).resolves.toMatchObject({ answer: 'It takes a minute. Use Forgot password? [1].', citations: [{ passages: [1] }] });
  });

  it('refuses an empty question (400) before embedding or searching', async () => {
    const { ask, embeddings, queries, gateway } = setup([passage()]);
    await expect(ask({ question: '  \u0000 ' })).rejects.toMatchObject({ problem: { status: 400, type: 'validation-failed' } });
    expect(embeddings.embed).not.toHaveBeenCalled();
    expect(queries.execute).not.toHaveBeenCalled();
    expect(gateway.complete).not.toHaveBeenCalled();
  });

  it('refuses a locale the knowledge base has no articles in (400 naming those it has)', async () => {
    const { ask, gateway } = setup([passage()]);
    await expect(ask({ locale: 'fr' })).rejects.toMatchObject({ problem: { status: 400, detail: 'This knowledge base has no articles in "fr"; it has "en", "de-DE".' } });
    expect(gateway.complete).not.toHaveBeenCalled();
  });

  it('judges passages by full text alone when the question cannot be embedded', async () => {
    const { ask, embeddings, chunks } = setup([passage({ similarity: null, lexical: true })]);
    embeddings.embed.mockRejectedValueOnce(new Error('embedder down'));
    await expect(ask()).resolves.toMatchObject({ found: true });
    expect(chunks.answerCandidates).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ vector: null }));
  });
});

describe('StreamAnswerHandler', () => {
  const signal = new AbortController().signal;
  const streamed = (handler: StreamAnswerHandler) => handler.execute(new StreamAnswerCommand(testContext(), { question: 'How do I reset my password?', audience: 'agent' }, signal));

  it('passes text through as it arrives and resolves citations at the end', async () => {
    const { stream } = setup([passage()]);
    const answer = await streamed(stream);
    expect(() => answer.result()).toThrow(/not ended/);
    expect((await collect(answer.deltas)).join('')).toBe('Use Forgot password? [1].');
    expect(answer.result()).toMatchObject({ found: true, citations: [{ articleId: 'art-1', url: '/v1/kb/articles/art-1' }], usage: called.usage });
  });

  it('holds back a reply that turns out to be NOT_FOUND: the reader never sees the sentinel', async () => {
    const { stream } = setup([passage()], 'NOT_FOUND');
    const answer = await streamed(stream);
    expect(await collect(answer.deltas)).toEqual([]);
    expect(answer.result()).toMatchObject({ found: false, answer: NOT_FOUND_ANSWER, provider: 'openai' });
  });

  it('opens no stream when retrieval is weak', async () => {
    const { stream, gateway } = setup([]);
    const answer = await streamed(stream);
    expect(gateway.stream).not.toHaveBeenCalled();
    expect(await collect(answer.deltas)).toEqual([]);
    expect(answer).toMatchObject({ provider: null, model: null });
    expect(answer.result()).toMatchObject({ found: false, provider: null });
  });
});
