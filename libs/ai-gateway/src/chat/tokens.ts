import { onFirstUse } from '@switchboard/platform';
import type * as GptTokenizer from 'gpt-tokenizer';

/** The tokenizer's tables are large: loaded with the first count, not at boot. */
const tokenizer = onFirstUse<typeof GptTokenizer>('gpt-tokenizer');

/**
 * Token counts for budgeting before a prompt leaves (o200k_base, the encoding of current OpenAI
 * models; for other providers it is an estimate, and their reported usage wins when metered).
 */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : tokenizer().countTokens(text);
}

export function countMessageTokens(messages: readonly { role: string; content: string }[]): number {
  // Chat formats add a few tokens of framing per message.
  return messages.reduce((sum, m) => sum + 4 + countTokens(m.content), 3);
}

export function encode(text: string): number[] {
  return tokenizer().encode(text);
}
