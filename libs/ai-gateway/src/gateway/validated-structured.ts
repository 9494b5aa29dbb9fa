import type { CommandContext, FieldError } from '@switchboard/platform';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ChatMessage, StructuredRequest } from '../chat/chat.port';
import type { AiFeature } from '../features/ai-feature';
import type { AiGateway, GatewayRequest, GatewayResult } from './ai-gateway.service';

/** `usageIds`: the metered usage row of every attempt, in order, so the answer's cost is exact. */
export type ValidatedAnswer<T> =
  | { valid: true; data: T; result: GatewayResult; attempts: number; usageIds: string[] }
  | { valid: false; problems: FieldError[]; result: GatewayResult; attempts: number; usageIds: string[] };

/**
 * A structured call whose JSON must pass `validate`. An invalid answer gets one retry that shows
 * the model its answer and what was wrong with it (each attempt is a metered call of its own); a
 * second invalid answer is returned as such, for the feature to report in its own terms.
 */
export async function structuredValidated<T>(
  gateway: AiGateway,
  ctx: CommandContext,
  feature: AiFeature,
  request: Omit<StructuredRequest, 'model'> & GatewayRequest,
  validate: ValidateFunction<T>,
): Promise<ValidatedAnswer<T>> {
  const messages: ChatMessage[] = [...request.messages];
  let problems: FieldError[] = [];
  let result!: GatewayResult;
  const usageIds: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    result = await gateway.structured(ctx, feature, { ...request, messages: [...messages] });
    usageIds.push(result.usageId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.text);
    } catch {
      problems = [{ field: '', message: 'the model did not answer with JSON' }];
    }
    if (parsed !== undefined) {
      if (validate(parsed)) return { valid: true, data: parsed, result, attempts: attempt, usageIds };
      problems = describeSchemaErrors(validate.errors ?? []);
    }
    messages.push(
      { role: 'assistant', content: result.text.slice(0, 4000) },
      { role: 'user', content: `That answer does not match the schema: ${problems.map((p) => `${p.field || '(root)'}: ${p.message}`).join('; ')}. Answer again with corrected JSON only.` },
    );
  }
  return { valid: false, problems, result, attempts: 2, usageIds };
}

/** ajv's errors as field paths (`a.b`, including the missing or unexpected property) and messages. */
export function describeSchemaErrors(errors: ErrorObject[]): FieldError[] {
  return errors.slice(0, 50).map((e) => {
    const missing = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
    const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
    return { field: `${e.instancePath}${missing}${extra}`.replace(/^\//, '').replace(/\//g, '.'), message: e.message ?? e.keyword };
  });
}
