import { jest } from '@jest/globals';
import { testContext } from '@switchboard/platform/testing';
import type { StructuredRequest } from '../../chat/chat.port';
import { extractionFeature } from '../../features/gateway-features';
import type { AiGateway, GatewayResult } from '../../gateway/ai-gateway.service';
import type { PromptTemplates } from '../../templates/prompt-templates.service';
import { ExtractCommand } from './extract.command';
import { ExtractHandler } from './extract.handler';

const ctx = testContext();
const SCHEMA = { type: 'object', properties: { serial: { type: 'string' }, pressure: { type: 'number' } }, required: ['serial'] };
const TEXT = 'Serial AB-991, pressure 1.4 bar';
const template = { feature: 'extraction', version: 1, source: 'default' as const };

const result = (text: string, extra: Partial<GatewayResult> = {}): GatewayResult => ({ text, model: 'gpt-4o-mini', usage: { promptTokens: 10, completionTokens: 5 }, finishReason: 'stop', provider: 'oa', warning: null, attempts: 1, usageId: 'u1', ...extra });

function setup(...answers: string[]) {
  const gateway = { structured: jest.fn(async (..._args: unknown[]) => result(answers.shift() ?? '{}')) };
  const templates = { render: jest.fn(async () => ({ messages: [{ role: 'user' as const, content: TEXT }], template })) };
  const handler = new ExtractHandler(gateway as unknown as AiGateway, templates as unknown as PromptTemplates);
  return { gateway, templates, extract: (schema: Record<string, unknown> = SCHEMA, model?: string) => handler.execute(new ExtractCommand(ctx, schema, TEXT, model)) };
}

describe('ExtractHandler', () => {
  it("renders the extraction template, calls the model for the schema's JSON and grounds each field's confidence in the text", async () => {
    const { gateway, templates, extract } = setup('{"serial":"AB-991","pressure":2.5}');
    const extracted = await extract(SCHEMA, 'gpt-4o-mini');
    expect(templates.render).toHaveBeenCalledWith(ctx, extractionFeature, { schema: SCHEMA, text: TEXT });
    const [, feature, request] = gateway.structured.mock.calls[0] as [unknown, unknown, StructuredRequest];
    expect(feature).toBe(extractionFeature);
    expect(request).toMatchObject({ schema: SCHEMA, schemaName: 'extraction', model: 'gpt-4o-mini', temperature: 0, template });
    expect(extracted).toEqual({ data: { serial: 'AB-991', pressure: 2.5 }, confidence: { serial: 0.95, pressure: 0.4 }, provider: 'oa', model: 'gpt-4o-mini', attempts: 1, extractive: false, warning: null, template });
  });

  it('retries once with what was wrong, then answers 422 naming the fields', async () => {
    const { gateway, extract } = setup('{"pressure":"high"}', 'not json');
    await expect(extract()).rejects.toMatchObject({ status: 422, problem: { type: 'ai-extraction-invalid', detail: expect.stringContaining('(fields: (root))'), errors: [{ field: '', message: 'the model did not answer with JSON' }] } });
    expect(gateway.structured).toHaveBeenCalledTimes(2);
    const retry = (gateway.structured.mock.calls[1] as [unknown, unknown, StructuredRequest])[2].messages;
    expect(retry.at(-1)!.content).toMatch(/^That answer does not match the schema: serial: must have required property 'serial'; pressure: must be number/);

    const fixed = setup('{"pressure":"high"}', '{"serial":"AB-991"}');
    await expect(fixed.extract()).resolves.toMatchObject({ data: { serial: 'AB-991' }, attempts: 2 });
  });

  it.each([
    ['a schema that is not an object schema', { type: 'array', items: {} }, /must be a JSON schema with "type": "object"/],
    ['a required field the schema does not define', { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] }, /requires "b" at \(root\) but does not define it/],
    ['an invalid JSON schema', { type: 'object', properties: { a: { type: 'text' } } }, /is not a valid JSON schema/],
  ])('refuses %s with 422 invalid-schema before rendering or calling anything', async (_what, schema, detail) => {
    const { gateway, templates, extract } = setup();
    await expect(extract(schema)).rejects.toMatchObject({ status: 422, problem: { type: 'invalid-schema', detail: expect.stringMatching(detail) } });
    expect(templates.render).not.toHaveBeenCalled();
    expect(gateway.structured).not.toHaveBeenCalled();
  });
});
