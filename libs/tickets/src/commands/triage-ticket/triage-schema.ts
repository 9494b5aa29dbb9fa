import { PRIORITIES } from '../../domain/ticket';

const TAG_PATTERN = '^[a-z0-9_:-]{1,50}$';
const confidence = { type: 'number', minimum: 0, maximum: 1 };

/** What the model must answer; the known tags ride along as `examples` for the tag values. */
export function triageSchema(knownTags: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['priority', 'tags'],
    properties: {
      priority: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'confidence'],
        properties: { value: { type: 'string', enum: [...PRIORITIES] }, confidence },
      },
      tags: {
        type: 'array',
        maxItems: 5,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['value', 'confidence'],
          properties: { value: { type: 'string', pattern: TAG_PATTERN, ...(knownTags.length > 0 ? { examples: [...knownTags] } : {}) }, confidence },
        },
      },
    },
  };
}

export interface TriageAnswer {
  priority: { value: string; confidence: number };
  tags: { value: string; confidence: number }[];
}
