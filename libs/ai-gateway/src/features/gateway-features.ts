import { variable } from '../templates/template-variables';
import { defineAiFeature } from './ai-feature';

/** `POST /v1/ai/extract`: fields from text into the caller's JSON schema. */
export const extractionFeature = defineAiFeature<{ schema: Record<string, unknown> | string; text: string }>({
  name: 'extraction',
  description: 'Fields from text into a JSON schema (POST /v1/ai/extract)',
  contract: { schema: variable.json, text: variable.text },
  defaultTemplate: [
    {
      role: 'system',
      content: `Extract the requested fields from the user text. Answer with one JSON object that matches the schema exactly. Use null (or leave a field out) when the text does not state a value; never invent one.

The fields, as a JSON schema:
{{schema}}`,
    },
    { role: 'user', content: '{{text}}' },
  ],
});

/** `POST /v1/ai/completions`: the caller's own messages, no template. */
export const completionFeature = defineAiFeature({ name: 'completion', description: 'Chat completions with the caller’s messages (POST /v1/ai/completions)' });

/** The features the gateway itself owns; every other one is registered by the context that owns it. */
export const GATEWAY_AI_FEATURES = [extractionFeature, completionFeature] as const;
