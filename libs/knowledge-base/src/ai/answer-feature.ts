import { defineAiFeature, variable, type TemplatePassage } from '@switchboard/ai-gateway';

/** What the answer pipeline hands the `answer` template (ADR 0008). */
export interface AnswerVariables {
  question: string;
  passages: (TemplatePassage | string)[];
  /** The requested locale, or '' for "the language of the question". */
  locale: string;
}

/**
 * Answers from the knowledge base with `[n]` citations. The local offline provider reads the
 * numbered passages and the text after the last `Question:`, so the question has its own message.
 */
export const answerFeature = defineAiFeature<AnswerVariables>({
  name: 'answer',
  description: 'Answers to questions from the knowledge base, citing the passages given',
  offline: 'answer',
  contract: { question: variable.text, passages: variable.passages, locale: variable.text },
  defaultTemplate: [
    {
      role: 'system',
      content: `You are the support assistant of a help desk. Answer the question using only the numbered knowledge-base passages you are given.
- Support every statement with the number of the passage it comes from, in square brackets: [1], or [2][3] for several.
- If the passages do not answer the question, reply with exactly NOT_FOUND and nothing else (the help desk then says the knowledge base does not cover it). Do not guess and do not answer from general knowledge.
- Never invent product names, prices, policies, links or steps that the passages do not state.
- Be concise: a few sentences, or short numbered steps for a procedure.
{{#locale}}- Answer in the language of the locale "{{locale}}".{{/locale}}{{^locale}}- Answer in the language of the question.{{/locale}}`,
    },
    {
      role: 'user',
      content: `Knowledge-base passages:
{{#passages}}
[{{n}}]{{#title}} {{title}}{{/title}}
{{text}}

{{/passages}}
{{^passages}}
(no passages were found)
{{/passages}}`,
    },
    { role: 'user', content: 'Question: {{question}}' },
  ],
});
