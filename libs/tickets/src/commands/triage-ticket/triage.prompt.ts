import type { ChatMessage } from '@switchboard/ai-gateway';

export interface TriagePromptVariables {
  subject: string;
  /** Every message (internal notes included) oldest → newest, fitted into the token budget. */
  conversation: string;
  /** The priorities a ticket may have, lowest first. */
  priorities: readonly string[];
  /** Tags this tenant already uses, most used first: prefer them to new ones. */
  tags: readonly string[];
}

/**
 * The triage prompt: what to decide and from which values in the instructions, the ticket in
 * the user message (so that only the ticket is read as evidence). Its variables are the ones
 * tenant prompt templates may use.
 */
export function buildTriagePrompt({ subject, conversation, priorities, tags }: TriagePromptVariables): ChatMessage[] {
  const system = [
    'You triage help desk tickets. Answer with one JSON object matching the schema: a priority and up to five tags, each with a confidence between 0 and 1 that says how sure you are.',
    `Priorities, lowest first: ${priorities.join(', ')}. Urgent means service is down or there is danger; high means a customer is blocked.`,
    tags.length > 0
      ? `Tags this help desk uses (prefer these; propose a new tag only when none fits): ${tags.join(', ')}.`
      : 'This help desk has no tags yet; propose short lowercase tags (letters, digits, _, - or :).',
    'Base everything on the ticket only; use a low confidence when the ticket says little.',
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: `Subject: ${subject}\n\nConversation:\n${conversation}` },
  ];
}
