import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  examples?: unknown;
  default?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  deprecated?: boolean;
};

type Media = { schema?: Schema; example?: unknown; examples?: unknown };
type Operation = { requestBody?: { content?: Record<string, Media> }; responses?: Record<string, { content?: Record<string, Media> }> };

const UUID = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';

/** Realistic values for properties by name, where the DTO gave none. */
const BY_NAME: [RegExp, unknown][] = [
  [/^emails$/i, ['ada@example.com']],
  [/email$/i, 'ada@example.com'],
  [/^phones$/i, ['+44 20 7946 0018']],
  [/phone$/i, '+44 20 7946 0018'],
  [/^(time_?zone|tz)$/i, 'Europe/London'],
  [/locale$/i, 'en-GB'],
  [/currency$/i, 'EUR'],
  [/country$/i, 'GB'],
  [/^(name|customerName|contactName)$/i, 'Ada Lovelace'],
  [/^(subject|title|jobTitle)$/i, 'The boiler makes a knocking noise'],
  [/^(body|text|notes|description|content|comment|reason|question|prompt)$/i, 'The boiler has been knocking since yesterday evening.'],
  [/^password$/i, 'correct horse battery staple'],
  [/^(refreshToken|token)$/i, 'rt_3q2l9kXv0cL1sJ8mQ4nR7tY2'],
  [/^(slug|tenant|tenantSlug)$/i, 'acme'],
  [/^html$/i, '<p>Thanks, a technician will call you today.</p>'],
  [/Minutes$/, 60],
  [/^(quantity|count)$/i, 2],
  [/(price|amount|total|subtotal|tax)$/i, 12500],
  [/Bp$/, 2000],
  [/Hour$/, 9],
  [/^(limit|pageSize)$/, 20],
  [/^(version|sequence)$/, 3],
  [/^tags$/i, ['heating', 'vip']],
  [/^(street)$/i, '1 Main St'],
  [/^(city)$/i, 'Springfield'],
  [/^(postalCode)$/i, 'SW1A 1AA'],
  [/^label$/i, 'Home'],
  [/^role$/i, 'agent'],
  [/^scopes$/i, ['tickets:read', 'tickets:write']],
  [/^(url|baseUrl)$/i, 'https://api.example.com/v1'],
  [/^apiKey$/i, 'sk-live-…'],
  [/^model$|Model$/i, 'gpt-4o-mini'],
];

function byFormat(format: string | undefined): unknown {
  switch (format) {
    case 'uuid':
      return UUID;
    case 'date-time':
      return '2026-12-08T09:00:00.000Z';
    case 'date':
      return '2026-12-08';
    case 'email':
      return 'ada@example.com';
    case 'uri':
      return 'https://example.com/';
    default:
      return undefined;
  }
}

/**
 * An example value for a schema: its own example or default, else the first enum value, else one
 * made from the property's name and format and type; objects from their properties (all of them
 * for a request body, required first; a response shows every property), $refs followed to a
 * small depth so cycles end.
 */
export function exampleOf(schema: Schema | undefined, document: OpenAPIObject, name = '', depth = 0): unknown {
  if (!schema || depth > 4) return undefined;
  if (schema.$ref) return exampleOf(componentOf(schema.$ref, document), document, name, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((s) => exampleOf(s, document, name, depth + 1));
    return parts.every((p) => p && typeof p === 'object' && !Array.isArray(p)) ? Object.assign({}, ...parts) : parts[0];
  }
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants?.length) return exampleOf(variants[0], document, name, depth + 1);
  if (schema.type === 'array' || schema.items) {
    const named = BY_NAME.find(([pattern]) => pattern.test(name));
    if (named && Array.isArray(named[1])) return named[1];
    const item = exampleOf(schema.items, document, name.replace(/s$/, ''), depth + 1);
    return item === undefined ? [] : [item];
  }
  if (schema.type === 'object' || schema.properties) {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (property.deprecated) continue;
      const value = exampleOf(property, document, key, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  const fromFormat = byFormat(schema.format);
  if (fromFormat !== undefined) return fromFormat;
  if (/Id$|^id$/.test(name) && schema.type === 'string') return UUID;
  const named = BY_NAME.find(([pattern]) => pattern.test(name));
  if (named && !Array.isArray(named[1]) && typeof named[1] === (schema.type === 'integer' ? 'number' : schema.type)) return named[1];
  switch (schema.type) {
    case 'integer':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 1, 1)) || (schema.minimum ?? 0);
    case 'number':
      return schema.minimum !== undefined && schema.minimum > 1.5 ? schema.minimum : 1.5;
    case 'boolean':
      return true;
    case 'string':
      return 'text'.padEnd(schema.minLength ?? 0, 'x').slice(0, schema.maxLength ?? 100);
    default:
      return undefined;
  }
}

function componentOf(ref: string, document: OpenAPIObject): Schema | undefined {
  const name = ref.replace('#/components/schemas/', '');
  return document.components?.schemas?.[name] as Schema | undefined;
}

/**
 * Gives every JSON request body and 2xx response that has no example one built from its schema
 * (`exampleOf`), so /docs shows a filled-in request for each operation without reading the code.
 * Examples written on an operation or a DTO property always win.
 */
export function withExamples(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Record<string, Operation>)) {
      if (!operation || typeof operation !== 'object') continue;
      const media = [operation.requestBody?.content?.['application/json']];
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (/^2\d\d$/.test(status)) media.push(response.content?.['application/json']);
      }
      for (const m of media) {
        if (!m?.schema || m.example !== undefined || m.examples !== undefined) continue;
        const example = exampleOf(m.schema, document);
        if (example !== undefined && !(typeof example === 'object' && example !== null && !Array.isArray(example) && Object.keys(example).length === 0)) m.example = example;
      }
    }
  }
  return document;
}
