import type { ChatMessage } from '@switchboard/ai-gateway';

export interface SummaryPromptVariables {
  subject: string;
  /** The ticket's messages oldest → newest, fitted into the conversation token budget. */
  conversation: string;
}

const SYSTEM =
  'You summarise help desk tickets for the agent who picks them up next. In at most five short bullet points say: what the customer needs, what has been tried or answered, and what is still open. Use only facts from the conversation; never invent names, numbers or promises. Internal notes are for agents and may be mentioned.';

/** The summary prompt; its variables are the ones tenant prompt templates may use. */
export function buildSummaryPrompt({ subject, conversation }: SummaryPromptVariables): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `Subject: ${subject}\n\nConversation:\n${conversation}` },
  ];
}
