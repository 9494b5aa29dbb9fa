import { ProblemException } from '@switchboard/platform';
import type { ChatMessage, ChatRole } from '../chat/chat.port';
import type { TemplatedAiFeature } from '../features/ai-feature';
import { normalizeVariables, templateShapes, toChatMessages, TemplateVariablesError, type FeatureContract, type TemplateMessage } from './template-variables';
import { checkTemplate, parseTemplate, renderTemplate, TemplateSyntaxError, type ParsedTemplate } from './template-syntax';

export const MAX_TEMPLATE_MESSAGES = 8;
export const MAX_TEMPLATE_MESSAGE_CHARS = 20_000;

export interface CompiledTemplate {
  /** The feature's name, and the contract the template was checked against. */
  readonly feature: string;
  readonly contract: FeatureContract;
  readonly messages: readonly { role: ChatRole; template: ParsedTemplate }[];
}

/**
 * Parses and checks a template against its feature's variables. Every problem is reported at once,
 * as a 422 naming the message and the variable or syntax error.
 */
export function compileTemplate(feature: { readonly name: string; readonly contract: FeatureContract }, messages: readonly TemplateMessage[]): CompiledTemplate {
  const shapes = templateShapes(feature.contract);
  const errors: { field: string; message: string }[] = [];
  if (messages.length === 0 || messages.length > MAX_TEMPLATE_MESSAGES) errors.push({ field: 'messages', message: `must hold 1 to ${MAX_TEMPLATE_MESSAGES} messages` });
  if (!messages.some((m) => m.role === 'user')) errors.push({ field: 'messages', message: 'needs at least one user message' });
  const compiled: { role: ChatRole; template: ParsedTemplate }[] = [];
  messages.forEach((m, i) => {
    const field = `messages[${i}].content`;
    if (m.content.length > MAX_TEMPLATE_MESSAGE_CHARS) {
      errors.push({ field, message: `is ${m.content.length} characters; at most ${MAX_TEMPLATE_MESSAGE_CHARS}` });
      return;
    }
    try {
      const template = parseTemplate(m.content);
      for (const problem of checkTemplate(template, shapes)) errors.push({ field, message: problem });
      compiled.push({ role: m.role, template });
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      errors.push({ field, message: `malformed template: ${error.message}` });
    }
  });
  if (errors.length > 0) {
    throw new ProblemException({
      status: 422,
      type: 'invalid-template',
      title: 'Unprocessable Content',
      detail: `The ${feature.name} template is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`.slice(0, 2000),
      errors,
    });
  }
  return { feature: feature.name, contract: feature.contract, messages: compiled };
}

/** Renders a compiled template; wrong or missing variables are a 422 naming them. */
export function renderCompiled(template: CompiledTemplate, variables: Record<string, unknown>): ChatMessage[] {
  let values;
  try {
    values = normalizeVariables(template.feature, template.contract, variables);
  } catch (error) {
    if (!(error instanceof TemplateVariablesError)) throw error;
    throw new ProblemException({
      status: 422,
      type: 'invalid-template-variables',
      title: 'Unprocessable Content',
      detail: `The variables for the ${template.feature} template do not fit: ${error.message}`.slice(0, 2000),
      errors: error.errors.map((e) => ({ field: `variables.${e.field}`, message: e.message })),
    });
  }
  return toChatMessages(template.messages.map((m) => ({ role: m.role, content: renderTemplate(m.template, values) })));
}

/** A feature's shipped template rendered with its variables (for the owning context's specs and tools; calls render the tenant's effective template through PromptTemplates). */
export function renderDefaultTemplate<V extends object>(feature: TemplatedAiFeature<V>, variables: NoInfer<V>): ChatMessage[] {
  return renderCompiled(compileTemplate(feature, feature.defaultTemplate), variables as Record<string, unknown>);
}
