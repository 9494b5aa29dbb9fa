import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException } from '@switchboard/platform';
import { Ajv, type ValidateFunction } from 'ajv';
import { extractionFeature } from '../../features/gateway-features';
import { AiGateway } from '../../gateway/ai-gateway.service';
import { structuredValidated } from '../../gateway/validated-structured';
import { PromptTemplates } from '../../templates/prompt-templates.service';
import { ExtractCommand, type ExtractionResult } from './extract.command';
import { groundingConfidence } from './confidence';

/**
 * Structured extraction: the schema is compiled first (a broken schema is the caller's 422),
 * the model's JSON is validated with ajv, one retry tells the model what was wrong, and a second
 * invalid answer is reported as a 422 naming the fields.
 */
@CommandHandler(ExtractCommand)
export class ExtractHandler implements ICommandHandler<ExtractCommand> {
  // strictRequired: a required field the schema never defines could only be met by inventing it.
  private readonly ajv = new Ajv({ allErrors: true, strict: false, strictRequired: true, validateFormats: false });

  constructor(
    private readonly gateway: AiGateway,
    private readonly templates: PromptTemplates,
  ) {}

  async execute({ context, schema, text, model }: ExtractCommand): Promise<ExtractionResult> {
    if (schema.type !== 'object' || typeof schema.properties !== 'object' || schema.properties === null || Array.isArray(schema.properties)) {
      throw new ProblemException({ status: 422, type: 'invalid-schema', title: 'Unprocessable Content', detail: 'The schema must be a JSON schema with "type": "object" and "properties" at its root.', errors: [{ field: 'schema', message: 'root must be an object schema with properties' }] });
    }
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(schema);
    } catch (error) {
      this.ajv.removeSchema(schema);
      const undefinedRequired = /required property "(.{0,100})" is not defined at "[^"]*#([^"]{0,200})"/.exec((error as Error).message);
      if (undefinedRequired) {
        const at = undefinedRequired[2]!.replace(/\/required$/, '') || '(root)';
        const detail = `The schema requires "${undefinedRequired[1]}" at ${at} but does not define it under "properties".`;
        throw new ProblemException({ status: 422, type: 'invalid-schema', title: 'Unprocessable Content', detail, errors: [{ field: 'schema', message: detail }] });
      }
      throw new ProblemException({ status: 422, type: 'invalid-schema', title: 'Unprocessable Content', detail: `The schema is not a valid JSON schema: ${(error as Error).message.slice(0, 300)}`, errors: [{ field: 'schema', message: 'not a valid JSON schema' }] });
    }
    // ajv keeps every compiled schema (and its $id) until removed; the compiled function stays usable.
    this.ajv.removeSchema(schema);
    const { messages, template } = await this.templates.render(context, extractionFeature, { schema, text });
    const answer = await structuredValidated(this.gateway, context, extractionFeature, { messages, schema, schemaName: 'extraction', model, temperature: 0, template }, validate);
    if (answer.valid) {
      const data = answer.data as Record<string, unknown>;
      const { result } = answer;
      return { data, confidence: groundingConfidence(schema, data, text, result.extractive === true), provider: result.provider, model: result.model, attempts: answer.attempts, extractive: result.extractive === true, warning: result.warning, template };
    }
    const { problems } = answer;
    throw new ProblemException({
      status: 422,
      type: 'ai-extraction-invalid',
      title: 'Unprocessable Content',
      detail: `The model's answer did not match the schema twice (fields: ${[...new Set(problems.map((p) => p.field || '(root)'))].join(', ')}).`,
      errors: problems,
    });
  }
}
