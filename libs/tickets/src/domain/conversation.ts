import { countTokens, LOCAL_MARKER } from '@switchboard/ai-gateway';
import type { MessageView } from '../repositories/messages.sql';

const WHO: Record<MessageView['authorType'], string> = { contact: 'Customer', agent: 'Agent', system: 'System' };

export function renderMessage(m: MessageView): string {
  const when = m.createdAt.slice(0, 16).replace('T', ' ');
  const note = m.visibility === 'internal' ? ' (internal note)' : '';
  return `[${when} UTC] ${WHO[m.authorType]}${note}: ${m.body.trim()}`;
}

/** The longest prefix of `text` within `tokens` (cut at a word where possible). */
export function clipToTokens(text: string, tokens: number): string {
  if (countTokens(text) <= tokens) return text;
  let chars = Math.max(1, tokens * 3);
  let clipped = text.slice(0, chars);
  while (chars > 1 && countTokens(`${clipped} …`) > tokens) {
    chars = Math.floor(chars * 0.85);
    clipped = text.slice(0, chars);
  }
  const space = clipped.lastIndexOf(' ');
  return `${space > chars / 2 ? clipped.slice(0, space) : clipped} …`;
}

/**
 * The conversation oldest → newest within a token budget. When it does not fit, the first
 * message (what the customer asked) stays, then the newest messages that fit, with a line
 * saying how many in between were left out: the start and the latest state matter most.
 */
export function renderConversation(messages: readonly MessageView[], budget: number): string {
  const lines = messages.map(renderMessage);
  if (lines.length === 0) return '(no messages yet)';
  const total = lines.reduce((sum, l) => sum + countTokens(l) + 1, 0);
  if (total <= budget) return lines.join('\n');
  const first = clipToTokens(lines[0]!, Math.floor(budget / 3));
  let remaining = budget - countTokens(first) - 16;
  const newest: string[] = [];
  for (let i = lines.length - 1; i >= 1; i--) {
    const cost = countTokens(lines[i]!) + 1;
    if (cost <= remaining) {
      newest.push(lines[i]!);
      remaining -= cost;
    } else {
      if (newest.length === 0 && remaining > 8) newest.push(clipToTokens(lines[i]!, remaining));
      break;
    }
  }
  const omitted = lines.length - 1 - newest.length;
  return [first, ...(omitted > 0 ? [`[… ${omitted} earlier message${omitted === 1 ? '' : 's'} left out …]`] : []), ...newest.reverse()].join('\n');
}

/**
 * The text an agent would apply. The offline provider prefixes its answers with a marker saying
 * no model wrote them; the suggestion says so in `extractive`, and the marker must never reach a
 * customer in an accepted reply.
 */
export function suggestionText(text: string): string {
  return (text.startsWith(LOCAL_MARKER) ? text.slice(LOCAL_MARKER.length) : text).trim();
}
