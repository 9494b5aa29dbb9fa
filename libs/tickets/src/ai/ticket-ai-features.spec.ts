import { AiFeatureRegistry, renderDefaultTemplate } from '@switchboard/ai-gateway';
import { draftFeature, summaryFeature, TICKET_AI_FEATURES, triageFeature } from './ticket-ai-features';

describe("tickets' AI features", () => {
  it('register with the gateway: their shipped templates fit their contracts', () => {
    const registry = new AiFeatureRegistry();
    registry.register(TICKET_AI_FEATURES);
    expect(registry.templated.map((f) => [f.name, Object.keys(f.contract)])).toEqual([
      ['draft', ['subject', 'conversation', 'passages']],
      ['summary', ['subject', 'conversation']],
      ['triage', ['subject', 'conversation', 'priorities', 'tags', 'hasTags', 'groups']],
      ['extraction', ['schema', 'text']],
    ]);
    expect(TICKET_AI_FEATURES.map((f) => f.offline)).toEqual(['summary', 'draft', 'triage']);
  });

  it('triage: formats the conversation, priorities and known tags, and asks for the shape the schema validates', () => {
    const triage = renderDefaultTemplate(triageFeature, {
      subject: 'Heating down',
      conversation: [{ author: 'Jane', at: '2026-11-30T08:00:00Z', text: 'No heat since Monday.' }, { role: 'agent', text: 'On it.' }],
      priorities: ['low', 'normal', 'high', 'urgent'],
      tags: ['heating', 'billing'],
      hasTags: 'yes',
      groups: '',
    });
    expect(triage[0]!.content).toContain('exactly one priority from (lowest first): low, normal, high, urgent.');
    expect(triage[0]!.content.match(/already uses: heating, billing\./g)).toHaveLength(1);
    expect(triage[0]!.content).not.toContain('group');
    // The answer shape the ticket assist's schema validates.
    expect(triage[0]!.content).toContain('{"priority": {"value": "<one of the priorities>", "confidence": 0.0}, "tags": [{"value": "<tag>", "confidence": 0.0}]}');
    expect(triage[1]!.content).toBe('Subject: Heating down\n\nJane (2026-11-30T08:00:00Z): No heat since Monday.\n\nagent: On it.');
    expect(renderDefaultTemplate(triageFeature, { subject: 's', conversation: 'c', priorities: ['low'], tags: [], hasTags: '', groups: '' })[0]!.content).toContain('This help desk has no tags yet');
    const withGroups = renderDefaultTemplate(triageFeature, { subject: 's', conversation: 'c', priorities: ['low'], tags: [], hasTags: '', groups: '- Billing: invoices\n- Field team' })[0]!.content;
    expect(withGroups).toContain('or null when none fits:\n- Billing: invoices\n- Field team\n');
    expect(withGroups).toContain('"tags": [{"value": "<tag>", "confidence": 0.0}], "group": {"value": "<group name or null>", "confidence": 0.0}}.');
  });

  it('draft: numbered passages in their own message, the conversation last (what the offline provider reads)', () => {
    const messages = renderDefaultTemplate(draftFeature, {
      subject: 'Boiler shows E119',
      conversation: 'Customer: My boiler shows E119, what does it mean?',
      passages: [
        { title: 'Boiler codes — E119', text: 'Parking is free. E119 on the boiler means the pressure is low.' },
        { title: 'Opening hours', text: 'We open at nine.' },
      ],
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'user']);
    expect(messages[1]!.content).toBe('Knowledge-base passages:\n[1] Boiler codes — E119\nParking is free. E119 on the boiler means the pressure is low.\n\n[2] Opening hours\nWe open at nine.\n\n');
    expect(messages[2]!.content).toBe('Subject: Boiler shows E119\n\nConversation, oldest first:\nCustomer: My boiler shows E119, what does it mean?\n\nWrite the reply draft.');
  });

  it('summary: the subject and the conversation in the one user message', () => {
    const [system, user] = renderDefaultTemplate(summaryFeature, { subject: 'Invoice', conversation: 'Customer: Two visits billed.' });
    expect(system!.content).toMatch(/^You summarise help-desk conversations/);
    expect(user).toEqual({ role: 'user', content: 'Subject: Invoice\n\nConversation, oldest first:\nCustomer: Two visits billed.' });
  });
});
