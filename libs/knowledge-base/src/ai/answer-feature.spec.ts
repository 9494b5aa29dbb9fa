import { AiFeatureRegistry, renderDefaultTemplate } from '@switchboard/ai-gateway';
import { answerFeature } from './answer-feature';

describe("the knowledge base's answer feature", () => {
  it('registers with the gateway: its shipped template fits its contract', () => {
    const registry = new AiFeatureRegistry();
    registry.register([answerFeature]);
    expect(registry.findTemplated('answer')).toBe(answerFeature);
    expect(Object.keys(answerFeature.contract)).toEqual(['question', 'passages', 'locale']);
    expect(answerFeature.offline).toBe('answer');
  });

  it('renders numbered passages and the question in its own message, and asks for NOT_FOUND', () => {
    const messages = renderDefaultTemplate(answerFeature, {
      question: 'How do I reset the boiler?',
      passages: [{ title: 'Boiler reset', text: 'Hold the reset button for 5 seconds.' }, 'Pressure should be 1.5 bar.'],
      locale: 'de-DE',
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
    expect(messages[0]!.content).toContain('[1]');
    // The answer pipeline turns exactly this reply into `found: false`.
    expect(messages[0]!.content).toContain('reply with exactly NOT_FOUND');
    expect(messages[0]!.content).toContain('locale "de-DE"');
    expect(messages[1]!.content).toBe('Knowledge-base passages:\n[1] Boiler reset\nHold the reset button for 5 seconds.\n\n[2]\nPressure should be 1.5 bar.\n\n');
    expect(messages[2]!.content).toBe('Question: How do I reset the boiler?');
    const none = renderDefaultTemplate(answerFeature, { question: 'q', passages: [], locale: '' });
    expect(none[1]!.content).toBe('Knowledge-base passages:\n(no passages were found)\n');
    expect(none[0]!.content).toContain('language of the question');
  });
});
