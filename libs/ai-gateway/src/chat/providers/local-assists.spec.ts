import { Ajv } from 'ajv';
import { LocalChatProvider, LOCAL_MARKER } from './local-chat.provider';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['priority', 'tags'],
  properties: {
    priority: { type: 'object', required: ['value', 'confidence'], properties: { value: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] }, confidence: { type: 'number', minimum: 0, maximum: 1 } } },
    tags: { type: 'array', items: { type: 'object', required: ['value', 'confidence'], properties: { value: { type: 'string', examples: ['boiler', 'billing', 'maintenance'] }, confidence: { type: 'number' } } } },
  },
};

describe('local provider: ticket assists', () => {
  const local = new LocalChatProvider();
  const system = { role: 'system' as const, content: 'Tags this help desk uses: boiler, billing, maintenance. Urgent means service is down.' };

  it('triages into the schema from the ticket only, with known tags the text names', async () => {
    const ticket = { role: 'user' as const, content: 'Subject: No heat\n\nConversation:\nCustomer: The heating is down and there is a leak at the boiler.' };
    const answer = JSON.parse((await local.structured({ model: 'm', offline: 'triage', messages: [system, ticket], schema })).text);
    expect(new Ajv({ strict: false }).validate(schema, answer)).toBe(true);
    expect(answer).toEqual({ priority: { value: 'urgent', confidence: 0.7 }, tags: [{ value: 'outage', confidence: 0.5 }, { value: 'boiler', confidence: 0.6 }] });
  });

  it('is unsure when no rule matches', async () => {
    const answer = JSON.parse((await local.structured({ model: 'm', feature: 'triage', messages: [system, { role: 'user', content: 'Subject: Hello\n\nConversation:\nCustomer: Hi there.' }], schema })).text);
    expect(answer).toEqual({ priority: { value: 'normal', confidence: 0.3 }, tags: [] });
  });

  it('reads a feature named like a style as that style when no style is given (direct callers)', async () => {
    const byName = await local.structured({ model: 'm', feature: 'triage', messages: [system, { role: 'user', content: 'Subject: Refund\n\nI was charged twice.' }], schema });
    const byStyle = await local.structured({ model: 'm', feature: 'refunds', offline: 'triage', messages: [system, { role: 'user', content: 'Subject: Refund\n\nI was charged twice.' }], schema });
    expect(JSON.parse(byName.text)).toEqual(JSON.parse(byStyle.text));
    expect(JSON.parse(byName.text).priority.value).toBe('normal');
  });

  it('still extracts by rules outside triage', async () => {
    const answer = JSON.parse((await local.structured({ model: 'm', feature: 'extraction', messages: [{ role: 'user', content: 'Serial: AB-1' }], schema: { type: 'object', properties: { serial: { type: 'string' } } } })).text);
    expect(answer).toEqual({ serial: 'AB-1' });
  });

  it('drafts a reply quoting the passages that match the conversation, with their titles', async () => {
    // What the tickets' shipped draft template renders: numbered passages, then the conversation last.
    const messages = [
      { role: 'system' as const, content: 'You write reply drafts for help-desk agents.' },
      { role: 'user' as const, content: 'Knowledge-base passages:\n[1] Boiler codes — E119\nParking is free. E119 on the boiler means the pressure is low.\n\n[2] Opening hours\nWe open at nine.\n\n' },
      { role: 'user' as const, content: 'Subject: Boiler shows E119\n\nConversation, oldest first:\nCustomer: My boiler shows E119, what does it mean?\n\nWrite the reply draft.' },
    ];
    const result = await local.complete({ model: 'm', offline: 'draft', messages });
    expect(result.text.startsWith(LOCAL_MARKER)).toBe(true);
    expect(result.text).toContain('about "Boiler shows E119"');
    expect(result.text).toContain('From "Boiler codes — E119":\n> E119 on the boiler means the pressure is low.');
    expect(result.text).not.toContain('Parking');
    expect(result.text).not.toContain('Opening hours');
  });

  it('drafts a holding reply when no passage helps', async () => {
    const result = await local.complete({ model: 'm', feature: 'draft', messages: [{ role: 'user', content: 'Subject: Broken gate\n\nConversation:\nCustomer: The gate is broken.' }] });
    expect(result.text).toContain('looking into it');
  });

  it('summarises with the key sentences and the latest message', async () => {
    const result = await local.complete({
      model: 'm',
      feature: 'summary',
      messages: [{ role: 'user', content: 'Subject: Invoice\n\nConversation:\nCustomer: The November invoice lists two technician visits but the technician came once.\nAgent: Checking with dispatch.' }],
    });
    expect(result.text).toContain('- Customer: The November invoice lists two technician visits');
    expect(result.text).toContain('Checking with dispatch.');
  });
});
