import { Inject, Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { EMBEDDINGS_PROVIDER, PromptTemplates, type ChatMessage, type EmbeddingsProvider, type TemplateRef } from '@switchboard/ai-gateway';
import { ProblemException, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { answerFeature } from '../../ai/answer-feature';
import { canonicalLocale, MIXED_LANGUAGE_CONFIGS, requireLocale, textSearchConfig } from '../../domain/locale';
import { usableVector } from '../../indexing/article-indexer';
import { CategoriesRepository } from '../../repositories/categories.repository';
import { ChunksRepository } from '../../repositories/chunks.repository';
import { toVectorLiteral } from '../../repositories/chunks.sql';
import { SearchArticlesQuery, type SearchResults } from '../../queries/search-articles/search-articles.query';
import { queryGrams } from '../../queries/search-articles/search-sql';
import type { AnswerInput, AnswerResult } from './answer-question.command';
import { NOT_FOUND_SENTINEL } from './answer-messages';
import { resolveCitations } from './citations';
import { passageTitle, selectPassages, type CandidateChunk, type Passage } from './passages';
import { judgeCoverage, questionWords, type CoverageVerdict } from './coverage';
import { kbConfig, type KbConfig } from '../../knowledge-base.context';

export const QUESTION_MAX = 1000;
/** Articles taken from the search, and chunks per article considered as passages. */
const ARTICLES = 5;
const CHUNKS_PER_ARTICLE = 3;
export const ANSWER_MAX_TOKENS = 600;

/**
 * Where "close in meaning" starts, per embedder (cosine scales differ between models). `local`
 * and `local-lexical` are measured by `npm run kb:answer-eval` (bench/RESULTS.md): the lowest
 * threshold at which no off-topic question gets a passage. `openai` is a starting point for
 * text-embedding-3-*, where unrelated texts rarely exceed 0.3; measure your model with the same script.
 */
export const DEFAULT_MIN_SIMILARITY: Record<string, number> = { local: 0.5, 'local-lexical': 0.65, openai: 0.3 };

export const NOT_FOUND_ANSWER = 'I could not find an answer to this in the knowledge base.';

const badInput = (field: string, detail: string) => new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail, errors: [{ field, message: detail }] });

/** What the model is asked, or null when retrieval is too weak to ask anything. */
export interface PreparedAnswer {
  passages: Passage[];
  messages: ChatMessage[];
  /** The tenant's `answer` prompt template that rendered the messages (named on the usage row). */
  template: TemplateRef;
}

/** What a model call produced, as the answer reports it. */
export type CallOutcome = Pick<AnswerResult, 'provider' | 'model' | 'extractive' | 'usage' | 'budgetWarning'>;

/**
 * Retrieval-augmented answers, shared by the plain and the streamed use case. The hybrid search
 * ranks articles; this loads their best chunks itself (full text, with the question's cosine
 * similarity and a full-text match) and decides before any model call whether retrieval is
 * strong enough: if no passage is, the answer is "not found" and nothing is metered, because
 * nothing was called. Otherwise the passages that fit the token budget are numbered into the
 * prompt; after the call only citation numbers that were really given survive.
 */
@Injectable()
export class AnswerPipeline {
  private readonly logger = new Logger(AnswerPipeline.name);

  constructor(
    private readonly queries: QueryBus,
    private readonly tx: TenantTransaction,
    private readonly categories: CategoriesRepository,
    private readonly chunks: ChunksRepository,
    private readonly templates: PromptTemplates,
    @Inject(EMBEDDINGS_PROVIDER) private readonly embeddings: EmbeddingsProvider,
    @Inject(kbConfig.token) private readonly config: KbConfig,
  ) {}

  async prepare(context: CommandContext, input: AnswerInput, signal?: AbortSignal): Promise<PreparedAnswer | null> {
    const question = (input.question ?? '').replace(/\u0000/g, '').replace(/\s+/g, ' ').trim();
    if (!question) throw badInput('question', 'Send the question to answer.');
    if (question.length > QUESTION_MAX) throw badInput('question', `The question has ${question.length} characters; at most ${QUESTION_MAX} are accepted.`);
    const locale = input.locale !== undefined ? requireLocale(input.locale) : undefined;

    const candidates = await this.retrieve(context.tenantId, question, locale, input.audience, signal);
    const passages = selectPassages(candidates, this.minSimilarity, this.config.KB_ANSWER_CONTEXT_TOKENS);
    if (passages.length === 0) return null;
    // Close in meaning is not enough: the passages must hold the question's rare words, and no name the tenant never wrote (ADR 0063, 0067).
    const verdict = await this.coverage(context.tenantId, question, passages);
    if (!verdict.covered) {
      this.logger.debug({ tenantId: context.tenantId, coverage: verdict.coverage, foreign: verdict.foreign, named: verdict.named }, 'passages do not cover the question; answering not found');
      return null;
    }
    const prompt = await this.templates.render(context, answerFeature, { question, locale: locale ?? '', passages: passages.map((p) => ({ title: passageTitle(p), text: p.body })) });
    return { passages, messages: prompt.messages, template: prompt.template };
  }

  /** The answer from the model's text: NOT_FOUND (or nothing citable left) is "not found", markers become citations. */
  finish(text: string, prepared: PreparedAnswer, called: CallOutcome, input: AnswerInput): AnswerResult {
    if (text.trim().replace(/[.\s]+$/, '') === NOT_FOUND_SENTINEL) return notFound(called);
    const { answer, citations } = resolveCitations(text, prepared.passages, (p) => this.urlOf(p, input.helpCenterSlug));
    if (!answer) return notFound(called);
    return { answer, found: true, citations, ...called };
  }

  get minSimilarity(): number {
    return this.config.KB_ANSWER_MIN_SIMILARITY ?? DEFAULT_MIN_SIMILARITY[this.embeddings.id] ?? 0.5;
  }

  /** The candidate passages of a (normalised) question, before the strength check; also used by `npm run kb:answer-eval`. */
  async retrieve(tenantId: string, question: string, locale: string | undefined, audience: 'agent' | 'public', signal?: AbortSignal): Promise<CandidateChunk[]> {
    // Embedded once: the search and the passages' similarity use the same vector.
    const vector = await this.embed(tenantId, question, signal);
    const { results }: SearchResults = await this.queries.execute(new SearchArticlesQuery({ tenantId, q: question, locale, audience, mode: 'hybrid', limit: ARTICLES, vector }));
    return this.loadCandidates(tenantId, question, locale, audience, vector, results);
  }

  /** How much of the question (its words weighed by rarity in the tenant's articles, read as the search reads them) the passages hold; also used by `npm run kb:answer-eval`. */
  async coverage(tenantId: string, question: string, passages: readonly { chunkId: string; articleId: string; locale: string }[], minCoverage = this.config.KB_ANSWER_MIN_COVERAGE): Promise<CoverageVerdict> {
    // The question is read in the passages' languages, as they were indexed.
    const configs = [...new Set(passages.map((p) => textSearchConfig(p.locale)))].sort();
    const others = MIXED_LANGUAGE_CONFIGS.filter((c) => !configs.includes(c));
    const ids = { chunkIds: passages.map((p) => p.chunkId), articleIds: [...new Set(passages.map((p) => p.articleId))] };
    const { terms, words, chunks } = await this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => ({
      ...(await this.chunks.questionTerms(tx, question, ids, configs, queryGrams(question))),
      words: await this.chunks.questionWords(tx, questionWords(question), configs, others),
    }));
    return judgeCoverage(terms, words, chunks, minCoverage);
  }

  /** The question's vector, or null (search and the full-text check still work without it). */
  private async embed(tenantId: string, question: string, signal?: AbortSignal): Promise<Float32Array | null> {
    try {
      const [v] = await this.embeddings.embed([question], { signal, tenantId });
      return usableVector(v);
    } catch (error) {
      this.logger.warn({ err: error, provider: this.embeddings.id }, 'embedding the question failed; judging passages by full text only');
      return null;
    }
  }

  /**
   * The search's articles, up to CHUNKS_PER_ARTICLE chunks each (the search's own pick and the
   * closest to the question), re-checked against the article row: published, and public for the
   * help center, so nothing archived or internal since indexing can reach a prompt.
   */
  private async loadCandidates(tenantId: string, question: string, locale: string | undefined, audience: 'agent' | 'public', vector: Float32Array | null, results: SearchResults['results']): Promise<CandidateChunk[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      if (locale !== undefined) {
        const known = (await this.categories.locales(tx)).map((l) => canonicalLocale(l) ?? l);
        if (!known.includes(locale)) {
          throw badInput('locale', known.length > 0 ? `This knowledge base has no articles in "${locale}"; it has ${known.map((l) => `"${l}"`).join(', ')}.` : `This knowledge base has no articles in "${locale}" (it has none yet).`);
        }
      }
      if (results.length === 0) return [];
      const usable = vector && (await this.chunks.vectorDimensions(tx)) === this.embeddings.dimensions ? toVectorLiteral(vector) : null;
      const rows = await this.chunks.answerCandidates(tx, {
        question,
        articleIds: results.map((r) => r.articleId),
        pickedChunkIds: results.map((r) => r.chunkId),
        perArticle: CHUNKS_PER_ARTICLE,
        vector: usable,
        audience,
      });
      const rank = new Map(results.map((r, i) => [r.articleId, i]));
      const picks = new Set(results.map((r) => r.chunkId));
      return rows.map((r) => ({ ...r, articleRank: rank.get(r.articleId) ?? results.length, searchPick: picks.has(r.chunkId) }));
    });
  }

  private urlOf(p: Passage, helpCenterSlug: string | undefined): string {
    if (helpCenterSlug && p.visibility === 'public') return `/v1/help-center/${helpCenterSlug}/articles/${p.slug}?locale=${encodeURIComponent(p.locale)}`;
    return `/v1/kb/articles/${p.articleId}`;
  }
}

export function notFound(called: CallOutcome | null): AnswerResult {
  return { answer: NOT_FOUND_ANSWER, found: false, citations: [], ...(called ?? { provider: null, model: null, extractive: false, budgetWarning: null }) };
}
