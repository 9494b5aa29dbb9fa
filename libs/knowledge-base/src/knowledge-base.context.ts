import { defineConfig, defineContext, defineEvent, defineRateLimit, type ConfigOf, type QueueDefinition } from '@switchboard/platform';
import { z } from 'zod';
import { MIN_QUESTION_COVERAGE } from './commands/answer-question/coverage';
import type { ArticleStatus, CategoryView, SectionView, Visibility } from './repositories/kb.sql';

export const CategoryCreated = defineEvent<{ category: CategoryView }>()('kb.category_created', { aggregate: 'kb_category' });
export const CategoryUpdated = defineEvent<{ category: CategoryView }>()('kb.category_updated', { aggregate: 'kb_category' });
export const CategoryDeleted = defineEvent<Record<string, never>>()('kb.category_deleted', { aggregate: 'kb_category' });
export const SectionCreated = defineEvent<{ section: SectionView }>()('kb.section_created', { aggregate: 'kb_section' });
export const SectionUpdated = defineEvent<{ section: SectionView }>()('kb.section_updated', { aggregate: 'kb_section' });
export const SectionDeleted = defineEvent<Record<string, never>>()('kb.section_deleted', { aggregate: 'kb_section' });
export const ArticleCreated = defineEvent<{ version: number; status: ArticleStatus }>()('kb.article_created', { aggregate: 'kb_article' });
/** Content or placement changed; a section move names only `categoryId`. */
export const ArticleUpdated = defineEvent<{
  changed: string[];
  version?: number;
  status?: ArticleStatus;
  restoredFrom?: string | null;
  slugRedirectedFrom?: string | null;
}>()('kb.article_updated', { aggregate: 'kb_article' });
type StatusChange = { from: ArticleStatus; version: number; visibility: Visibility; locale: string };
export const ArticlePublished = defineEvent<StatusChange>()('kb.article_published', { aggregate: 'kb_article' });
export const ArticleArchived = defineEvent<StatusChange>()('kb.article_archived', { aggregate: 'kb_article' });
/** A synonym set was created, changed or deleted; searches use it from the next one on. */
export const SynonymsChanged = defineEvent<{ op: 'created' | 'updated' | 'deleted'; terms: string[] }>()('kb.synonyms_changed', { aggregate: 'kb_synonyms' });
/** An agent's reply linked articles: the ticket's words became evidence for them (`words`: how many). */
export const ArticlesCited = defineEvent<{ source: string; articleIds: string[]; words: number }>()('kb.articles_cited', { aggregate: 'kb_learned' });
export const ArticleFeedbackReceived = defineEvent<{ helpful: boolean; hasComment: boolean }>()('kb.article_feedback_received', { aggregate: 'kb_article' });

export const EmbeddingsQueue: QueueDefinition = { name: 'embeddings', description: 'Chunk and embed articles as they are published, edited or archived; redact feedback comments of erased contacts' };

export const kbConfig = defineConfig(
  'knowledge-base',
  {
    /** Largest article body (Markdown bytes) the knowledge base accepts; larger is a 413. */
    KB_ARTICLE_MAX_BYTES: z.string().regex(/^\d+(b|kb|mb)?$/i, 'expected a size such as 1mb, 512kb or 1048576').default('512kb').transform(byteSize),
    /** HNSW candidate list size for knowledge-base vector search (recall vs. latency; see bench/RESULTS.md). */
    KB_HNSW_EF_SEARCH: z.coerce.number().int().min(10).max(1000).default(400),
    /**
     * With an embedder that has a search prefix (the local one, ADR 0068): chunks taken from the
     * prefix's HNSW index (also its ef_search) and re-ranked by the whole vector.
     */
    KB_VECTOR_PREFIX_CANDIDATES: z.coerce.number().int().min(10).max(1000).default(200),
    /** Tokens of knowledge-base passages an answer's prompt may carry (counted with the gateway's tokenizer). */
    KB_ANSWER_CONTEXT_TOKENS: z.coerce.number().int().min(100).max(200_000).default(2000),
    /** Cosine similarity (question vs. passage) below which a passage without a full-text match is too weak to answer from; unset: the embedder's measured default. */
    KB_ANSWER_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).optional(),
    /** Share (0–1) of the question's words, weighed by rarity in the tenant's articles, that an answer's passages must hold; words the tenant never wrote weigh most. 0 turns the check off. */
    KB_ANSWER_MIN_COVERAGE: z.coerce.number().min(0).max(1).default(MIN_QUESTION_COVERAGE),
    /** Days after which the evidence learned from agents' replies (a word → an article) counts half; it keeps halving unless renewed. */
    KB_LEARNED_HALF_LIFE_DAYS: z.coerce.number().min(1).max(3650).default(90),
    /** Anonymous help-center requests per IP and minute. */
    RATE_LIMIT_HELP_CENTER_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
    /** Anonymous help-center AI answers per IP and minute (each may be a paid model call). */
    RATE_LIMIT_HELP_CENTER_ANSWER_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  },
  (config) =>
    typeof config.AI_MAX_PROMPT_TOKENS === 'number' && config.KB_ANSWER_CONTEXT_TOKENS >= config.AI_MAX_PROMPT_TOKENS
      ? [`KB_ANSWER_CONTEXT_TOKENS: must be below AI_MAX_PROMPT_TOKENS (${config.AI_MAX_PROMPT_TOKENS}), or every answer's prompt would be refused`]
      : [],
);
export type KbConfig = ConfigOf<typeof kbConfig>;

/** Anonymous help-center readers, per IP. */
export const HelpCenterRateLimit = defineRateLimit({ name: 'help-center', perMinute: 'RATE_LIMIT_HELP_CENTER_PER_MINUTE', label: 'per IP on the help center' });
/** Each answer may cost the tenant a model call: a budget of its own, and it still counts as help-center traffic. */
export const HelpCenterAnswerRateLimit = defineRateLimit({
  name: 'help-center-answer',
  perMinute: 'RATE_LIMIT_HELP_CENTER_ANSWER_PER_MINUTE',
  label: 'per IP on help-center answers',
  also: [HelpCenterRateLimit],
});

function byteSize(value: string): number {
  const m = /^(\d+)(b|kb|mb)?$/i.exec(value)!;
  return Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[(m[2] ?? 'b').toLowerCase() as 'b' | 'kb' | 'mb'];
}

/** Articles, their revisions and feedback, the help center, and hybrid search over embedded chunks. */
export const knowledgeBaseContext = defineContext({
  name: 'knowledge-base',
  events: [
    CategoryCreated,
    CategoryUpdated,
    CategoryDeleted,
    SectionCreated,
    SectionUpdated,
    SectionDeleted,
    ArticleCreated,
    ArticleUpdated,
    ArticlePublished,
    ArticleArchived,
    ArticleFeedbackReceived,
    SynonymsChanged,
    ArticlesCited,
  ],
  queues: [EmbeddingsQueue],
  config: kbConfig,
});
