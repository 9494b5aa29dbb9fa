import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface AnswerInput {
  question: string;
  locale?: string;
  /** agent: published articles of every visibility; public: published public articles only. */
  audience: 'agent' | 'public';
  /** Set for the public help center, whose citations link to its article pages. */
  helpCenterSlug?: string;
}

export interface AnswerCitation {
  articleId: string;
  title: string;
  slug: string;
  locale: string;
  /** Where a reader opens the article: the help-center page for public ones, the agent API otherwise. */
  url: string;
  /** The `[n]` markers of the answer that point to this article. */
  passages: number[];
}

export interface AnswerResult {
  answer: string;
  /** False when the knowledge base holds no good enough passage (or the model found none answering). */
  found: boolean;
  citations: AnswerCitation[];
  /** Null when no model was called (weak retrieval). */
  provider: string | null;
  model: string | null;
  extractive: boolean;
  usage?: { promptTokens: number; completionTokens: number };
  /** Set when a budget passed its soft threshold. */
  budgetWarning: string | null;
}

/**
 * A question answered from the knowledge base with citations: hybrid retrieval, the best passages
 * fitted into a token budget, one metered model call through the AI gateway (feature `answer`).
 */
export class AnswerQuestionCommand extends Command<AnswerResult> {
  constructor(
    readonly context: CommandContext,
    readonly input: AnswerInput,
    readonly signal?: AbortSignal,
  ) {
    super();
  }
}

/** A streamed answer: the model's text as it is written, then the resolved answer. */
export interface AnswerStream {
  /** Null when no model is called (weak retrieval): `deltas` is then empty. */
  provider: string | null;
  model: string | null;
  budgetWarning: string | null;
  /** The model's text as it arrives; `[n]` markers are resolved only in `result()`. */
  deltas: AsyncIterable<string>;
  /** The answer as the plain call gives it, once `deltas` is done. */
  result(): AnswerResult;
}

/** The same answer as AnswerQuestionCommand, streamed; resolves once the first model event is in, so errors are still plain problems. */
export class StreamAnswerCommand extends Command<AnswerStream> {
  constructor(
    readonly context: CommandContext,
    readonly input: AnswerInput,
    readonly signal: AbortSignal,
  ) {
    super();
  }
}
