import { PRIORITIES } from '../../domain/ticket';

const TAG_PATTERN = '^[a-z0-9_:-]{1,50}$';
const confidence = { type: 'number', minimum: 0, maximum: 1 };

/**
 * What the model must answer; the known tags ride along as `examples` for the tag values. With
 * groups, the answer may name one of them (by name, from an enum) or null; older answers without
 * a group stay valid. `any`: a group of any name, for validating once (the caller checks the name).
 */
export function triageSchema(knownTags: readonly string[], groupNames: readonly string[] | 'any' = []): Record<string, unknown> {
  const value = groupNames === 'any' ? { type: ['string', 'null'], maxLength: 200 } : { type: ['string', 'null'], enum: [...groupNames, null] };
  const group =
    groupNames.length > 0
      ? {
          group: {
            type: 'object',
            additionalProperties: false,
            required: ['value', 'confidence'],
            properties: { value, confidence },
          },
        }
      : {};
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
      ...group,
    },
  };
}

export interface TriageAnswer {
  priority: { value: string; confidence: number };
  tags: { value: string; confidence: number }[];
  group?: { value: string | null; confidence: number };
}
