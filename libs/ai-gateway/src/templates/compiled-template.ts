import { ProblemException } from '@switchboard/platform';
import type { ChatMessage, ChatRole } from '../chat/chat.port';
import { CONTRACTS, normalizeVariables, toChatMessages, TemplateVariablesError, type TemplateFeature, type TemplateMessage } from './feature-templates';
import { checkTemplate, parseTemplate, renderTemplate, TemplateSyntaxError, type ParsedTemplate } from './template-syntax';

export const MAX_TEMPLATE_MESSAGES = 8;
export const MAX_TEMPLATE_MESSAGE_CHARS = 20_000;

export interface CompiledTemplate {
  readonly feature: TemplateFeature;
  readonly messages: readonly { role: ChatRole; template: ParsedTemplate }[];
}

/**
 * Parses and checks a template against its feature's variables. Every problem is reported at once,
 * as a 422 naming the message and the variable or syntax error.
 */
export function compileTemplate(feature: TemplateFeature, messages: readonly TemplateMessage[]): CompiledTemplate {
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
      for (const problem of checkTemplate(template, CONTRACTS[feature])) errors.push({ field, message: problem });
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
      detail: `The ${feature} template is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`.slice(0, 2000),
      errors,
    });
  }
  return { feature, messages: compiled };
}

/** Renders a compiled template; wrong or missing variables are a 422 naming them. */
export function renderCompiled(template: CompiledTemplate, variables: Record<string, unknown>): ChatMessage[] {
  let values;
  try {
    values = normalizeVariables(template.feature, variables);
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
