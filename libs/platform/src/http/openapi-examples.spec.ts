import type { OpenAPIObject } from '@nestjs/swagger';
import { exampleOf, withExamples } from './openapi-examples';

const document = {
  openapi: '3.0.0',
  info: { title: 't', version: '1' },
  components: {
    schemas: {
      Requester: { type: 'object', properties: { email: { type: 'string' }, name: { type: 'string', example: 'Pat' } } },
      CreateThing: {
        type: 'object',
        required: ['subject'],
        properties: {
          subject: { type: 'string' },
          requester: { $ref: '#/components/schemas/Requester' },
          priority: { type: 'string', enum: ['low', 'high'] },
          durationMinutes: { type: 'number' },
          dueAt: { type: 'string', format: 'date-time' },
          contactId: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
          old: { type: 'string', deprecated: true },
        },
      },
    },
  },
  paths: {
    '/things': {
      post: {
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThing' } } } },
        responses: { '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Requester' } } } } },
      },
      put: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateThing' }, example: { subject: 'mine' } } } }, responses: {} },
    },
  },
} as unknown as OpenAPIObject;

describe('OpenAPI examples', () => {
  it('builds a body from property examples, enums, formats and names, following $refs and skipping deprecated fields', () => {
    expect(exampleOf({ $ref: '#/components/schemas/CreateThing' }, document)).toEqual({
      subject: 'The boiler makes a knocking noise',
      requester: { email: 'ada@example.com', name: 'Pat' },
      priority: 'low',
      durationMinutes: 60,
      dueAt: '2026-12-08T09:00:00.000Z',
      contactId: '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11',
      tags: ['heating', 'vip'],
    });
  });

  it('fills request bodies and 2xx responses that have none, and keeps written ones', () => {
    const filled = withExamples(structuredClone(document)) as unknown as { paths: Record<string, Record<string, any>> };
    expect(filled.paths['/things']!.post.requestBody.content['application/json'].example).toMatchObject({ subject: expect.any(String) });
    expect(filled.paths['/things']!.post.responses['201'].content['application/json'].example).toEqual({ email: 'ada@example.com', name: 'Pat' });
    expect(filled.paths['/things']!.put.requestBody.content['application/json'].example).toEqual({ subject: 'mine' });
  });
});
