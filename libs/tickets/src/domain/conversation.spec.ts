import { countTokens, LOCAL_MARKER } from '@switchboard/ai-gateway';
import type { MessageView } from '../repositories/messages.sql';
import { clipToTokens, renderConversation, suggestionText } from './conversation';

const message = (i: number, body: string, extra: Partial<MessageView> = {}): MessageView => ({
  id: `m${i}`,
  ticketId: 't',
  visibility: 'public',
  authorType: i % 2 === 0 ? 'contact' : 'agent',
  authorId: null,
  body,
  html: null,
  createdAt: new Date(Date.UTC(2026, 11, 1, 9, i)).toISOString(),
  ...extra,
});

describe('conversation for prompts', () => {
  it('renders every message oldest first with who wrote it when it fits', () => {
    const text = renderConversation([message(0, 'The boiler knocks.'), message(1, 'Is it on now?'), message(2, 'Checked the valve.', { visibility: 'internal', authorType: 'agent' })], 1000);
    expect(text.split('\n')).toEqual([
      '[2026-12-01 09:00 UTC] Customer: The boiler knocks.',
      '[2026-12-01 09:01 UTC] Agent: Is it on now?',
      '[2026-12-01 09:02 UTC] Agent (internal note): Checked the valve.',
    ]);
  });

  it('keeps the first message and the newest ones within the budget, saying how many were left out', () => {
    const messages = Array.from({ length: 40 }, (_, i) => message(i, `Message number ${i}: ${'word '.repeat(30)}`));
    const text = renderConversation(messages, 300);
    expect(countTokens(text)).toBeLessThanOrEqual(300);
    const lines = text.split('\n');
    expect(lines[0]).toContain('Message number 0:');
    expect(lines.at(-1)).toContain('Message number 39:');
    expect(lines[1]).toMatch(/^\[… \d+ earlier messages left out …\]$/);
    const kept = lines.length - 2;
    expect(lines[1]).toContain(`${39 - kept} earlier`);
  });

  it('clips a single huge message instead of dropping everything', () => {
    const text = renderConversation([message(0, 'start'), message(1, 'long '.repeat(5000))], 200);
    expect(countTokens(text)).toBeLessThanOrEqual(200);
    expect(text).toContain('Customer: start');
    expect(text).toContain('Agent: long long');
    expect(clipToTokens('short', 10)).toBe('short');
  });

  it('says so when there is nothing yet', () => {
    expect(renderConversation([], 100)).toBe('(no messages yet)');
  });

  it('never lets the offline marker into a text an agent applies', () => {
    expect(suggestionText(`${LOCAL_MARKER}\nHello,\n\nThanks.`)).toBe('Hello,\n\nThanks.');
    expect(suggestionText('  A model wrote this. ')).toBe('A model wrote this.');
  });
});
