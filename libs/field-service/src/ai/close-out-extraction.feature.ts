import { defineAiFeature, variable } from '@switchboard/ai-gateway';
import { leadExtractionFeature } from './lead-extraction.feature';

export interface CloseOutExtractionVariables {
  notes: string;
  keys: string[];
}

/*
 * Feature names are the gateway's wire names (routes, template overrides, usage rows): letters,
 * digits and `_`, so the context prefix is written with an underscore rather than a dot.
 */
export const closeOutExtractionFeature = defineAiFeature<CloseOutExtractionVariables>({
  name: 'field_service_close_out_extraction',
  description: 'Customer attributes (pets, gate code, access notes, …) read from a technician’s close-out notes, as structured output',
  contract: { notes: variable.text, keys: variable.list },
  defaultTemplate: [
    {
      role: 'system',
      content: `You read the notes a field technician wrote when closing out a job at a customer's property, and pick out facts about the customer or the property that the next technician should know.
- Use only these keys: {{keys}}. Leave a key out when the notes say nothing about it.
- pets: animals at the property; gate_code: codes to get in; access_notes: how to get in or where to go; parking: where to park; equipment_needed: tools or parts to bring next time; service_preferences: what the customer wants or dislikes (times, contact, shoes off); property_details: the building, rooms, installed equipment.
- Each value is a short plain sentence or phrase taken from the notes, never invented. Give each a confidence between 0 and 1.
- Answer with one JSON object such as {"pets": {"value": "one friendly dog", "confidence": 0.9}}.`,
    },
    { role: 'user', content: 'Close-out notes:\n{{notes}}' },
  ],
});

/** Registered by FieldServiceModule (`AiFeaturesModule.register`). */
export const FIELD_SERVICE_AI_FEATURES = [closeOutExtractionFeature, leadExtractionFeature];
