import { Ajv } from 'ajv';
import { LocalChatProvider, LOCAL_MARKER } from './local-chat.provider';
import { compileTemplate, renderCompiled } from '../../templates/compiled-template';
import { DEFAULT_TEMPLATES } from '../../templates/feature-templates';

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
    const answer = JSON.parse((await local.structured({ model: 'm', feature: 'triage', messages: [system, ticket], schema })).text);
    expect(new Ajv({ strict: false }).validate(schema, answer)).toBe(true);
    expect(answer).toEqual({ priority: { value: 'urgent', confidence: 0.7 }, tags: [{ value: 'outage', confidence: 0.5 }, { value: 'boiler', confidence: 0.6 }] });
  });

  it('is unsure when no rule matches', async () => {
    const answer = JSON.parse((await local.structured({ model: 'm', feature: 'triage', messages: [system, { role: 'user', content: 'Subject: Hello\n\nConversation:\nCustomer: Hi there.' }], schema })).text);
    expect(answer).toEqual({ priority: { value: 'normal', confidence: 0.3 }, tags: [] });
  });

  it('still extracts by rules outside triage', async () => {
    const answer = JSON.parse((await local.structured({ model: 'm', feature: 'extraction', messages: [{ role: 'user', content: 'Serial: AB-1' }], schema: { type: 'object', properties: { serial: { type: 'string' } } } })).text);
    expect(answer).toEqual({ serial: 'AB-1' });
  });

  it('drafts a reply quoting the passages that match the conversation, with their titles', async () => {
    // The shipped draft template, as the ticket assist renders it.
    const messages = renderCompiled(compileTemplate('draft', DEFAULT_TEMPLATES.draft), {
      subject: 'Boiler shows E119',
      conversation: 'Customer: My boiler shows E119, what does it mean?',
      passages: [
        { title: 'Boiler codes — E119', text: 'Parking is free. E119 on the boiler means the pressure is low.' },
        { title: 'Opening hours', text: 'We open at nine.' },
      ],
    });
    const result = await local.complete({ model: 'm', feature: 'draft', messages });
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
