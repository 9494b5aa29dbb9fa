import type { ChatMessage } from '@switchboard/ai-gateway';

/** What a model replies when the passages do not answer the question (the prompt asks for exactly this). */
export const NOT_FOUND_SENTINEL = 'NOT_FOUND';

export interface AnswerPromptVariables {
  question: string;
  /** The numbered passages, one string: `[1] Title › Heading\ntext\n\n[2] …`. */
  passages: string;
  locale?: string;
}

/**
 * The prompt of a knowledge-base answer. The variable names are those of the per-tenant prompt
 * templates; the offline provider reads the same layout (numbered passages, then `Question:`).
 */
export function buildAnswerMessages({ question, passages, locale }: AnswerPromptVariables): ChatMessage[] {
  const language = locale ? `Write the answer in the language of the locale "${locale}".` : 'Write the answer in the language of the question.';
  const system = [
    'You are a help-desk assistant. Answer the question using only the numbered knowledge-base passages you are given.',
    'After every sentence, cite the passage it comes from with its number in square brackets, like [1] or [2][3]. Cite only numbers that appear before the passages.',
    `If the passages do not answer the question, reply with exactly ${NOT_FOUND_SENTINEL} and nothing else.`,
    'Never add facts, steps, links, prices or policies that are not in the passages. Be brief: a few sentences or a short list of steps.',
    language,
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: `Knowledge-base passages:\n\n${passages}\n\nQuestion: ${question}` },
  ];
}
