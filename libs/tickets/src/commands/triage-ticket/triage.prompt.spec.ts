import { Ajv } from 'ajv';
import { buildDraftPrompt } from '../draft-reply/draft.prompt';
import { buildSummaryPrompt } from '../summarize-ticket/summary.prompt';
import { PRIORITIES } from '../../domain/ticket';
import { buildTriagePrompt } from './triage.prompt';
import { triageSchema } from './triage-schema';

describe('assist prompts', () => {
  const conversation = '[2026-12-01 09:00 UTC] Customer: The heating is down and there is a leak. The boiler shows E119.';

  it('put the instructions and vocabularies in the system message and only the ticket in the user message', () => {
    const triage = buildTriagePrompt({ subject: 'No heat', conversation, priorities: PRIORITIES, tags: ['boiler', 'billing'] });
    expect(triage.map((m) => m.role)).toEqual(['system', 'user']);
    expect(triage[0]!.content).toContain('low, normal, high, urgent');
    expect(triage[0]!.content).toContain('boiler, billing');
    expect(triage[1]!.content).toBe(`Subject: No heat\n\nConversation:\n${conversation}`);
    expect(buildSummaryPrompt({ subject: 'No heat', conversation }).at(-1)!.content).toContain(conversation);
  });

  it('give the draft one message per passage, before the conversation', () => {
    const prompt = buildDraftPrompt({ subject: 'No heat', conversation, passages: [{ articleId: 'a', title: 'Boiler codes', heading: 'E119', slug: 'boiler-codes', chunkId: 'c', text: 'E119 means low pressure.' }] });
    expect(prompt.map((m) => m.role)).toEqual(['system', 'user', 'user']);
    expect(prompt[1]!.content).toBe('Passage [1]: Boiler codes — E119\nE119 means low pressure.');
  });

  it('ask for a schema that accepts the documented triage shape and refuses anything else', () => {
    const validate = new Ajv({ strict: false }).compile(triageSchema(['boiler']));
    expect(validate({ priority: { value: 'urgent', confidence: 0.7 }, tags: [{ value: 'boiler', confidence: 0.6 }] })).toBe(true);
    expect(validate({ priority: 'urgent', tags: [] })).toBe(false);
    expect(validate({ priority: { value: 'critical', confidence: 0.7 }, tags: [] })).toBe(false);
    expect(validate({ priority: { value: 'low', confidence: 1.5 }, tags: [] })).toBe(false);
    expect(validate({ priority: { value: 'low', confidence: 0.5 }, tags: [{ value: 'Not A Tag!', confidence: 0.5 }] })).toBe(false);
    expect(validate({ priority: { value: 'low', confidence: 0.5 }, tags: [], group: 'x' })).toBe(false);
  });
});
