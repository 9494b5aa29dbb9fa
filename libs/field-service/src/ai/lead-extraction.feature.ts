import { defineAiFeature, variable } from '@switchboard/ai-gateway';

export interface LeadExtractionVariables {
  notes: string;
  services: string[];
}

/** Contact details and the requested service read from a lead's raw notes, as structured output (suggestions only). */
export const leadExtractionFeature = defineAiFeature<LeadExtractionVariables>({
  name: 'field_service_lead_extraction',
  description: 'Name, phone, email, address and requested service read from a field-service lead’s raw notes (a call or a contact form), as structured output',
  contract: { notes: variable.text, services: variable.list },
  defaultTemplate: [
    {
      role: 'system',
      content: `You read the notes a dispatcher typed during a call, or the message of a contact form, from someone who may want a field-service job, and pick out who they are and what they want.
- Fields: name, phone, email, street, city, region, postalCode, country, service. Use null when the notes do not say.
- service must be exactly one of these service names, or null: {{services}}.
- Copy values from the notes; never invent them. Give a confidence between 0 and 1 for each field you fill, in "confidence".
- Answer with one JSON object such as {"name": "Ada Lovelace", "phone": "+44 20 7946 0018", "email": null, "service": "Boiler check", "confidence": {"name": 0.9, "phone": 0.95, "service": 0.6}}.`,
    },
    { role: 'user', content: 'Lead notes:\n{{notes}}' },
  ],
});
