import type { ChatMessage } from '@switchboard/ai-gateway';

export interface DraftPassage {
  articleId: string;
  title: string;
  heading: string;
  slug: string;
  chunkId: string;
  /** Plain text of the best matching part of the article. */
  text: string;
}

export interface DraftPromptVariables {
  subject: string;
  /** Public messages oldest → newest, fitted into the conversation token budget. */
  conversation: string;
  /** Help-center passages that match the ticket, best first. */
  passages: DraftPassage[];
}

const SYSTEM =
  'You draft the next reply of a help desk agent to the customer. Answer the customer’s latest message politely and concisely, in the language the customer writes in. Ground every factual statement in the knowledge base passages given before the conversation and name the article you rely on; if they do not answer the question, say that the team is looking into it instead of guessing. Never promise refunds, dates or anything the passages do not state. Write only the reply text.';

/**
 * The draft prompt: instructions, one user message per passage (`Passage [n]: title — heading`
 * then its text), and the conversation last. Its variables are the ones tenant prompt
 * templates may use.
 */
export function buildDraftPrompt({ subject, conversation, passages }: DraftPromptVariables): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    ...passages.map((p, i): ChatMessage => ({ role: 'user', content: `Passage [${i + 1}]: ${p.title}${p.heading && p.heading !== p.title ? ` — ${p.heading}` : ''}\n${p.text}` })),
    { role: 'user', content: `Subject: ${subject}\n\nConversation:\n${conversation}` },
  ];
}
