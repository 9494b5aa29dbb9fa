import { defineContext, defineEvent } from '@switchboard/platform';
import type { AiFeature } from './chat/chat.port';
import type { TemplateRef, TemplateSource } from './templates/template-store';

export const AiSettingsUpdated = defineEvent<{ version: number }>()('ai.settings_updated', { aggregate: 'ai_settings' });
type TemplateChange = { feature: string; version: number; source: TemplateSource };
export const AiTemplateSaved = defineEvent<TemplateChange>()('ai.template_saved', { aggregate: 'ai_prompt_template' });
export const AiTemplateReset = defineEvent<TemplateChange>()('ai.template_reset', { aggregate: 'ai_prompt_template' });
/** One model call, metered (billing's usage meter reads these). */
export const AiUsageRecorded = defineEvent<{
  feature: AiFeature;
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costMicros: number;
  outcome: 'success' | 'error' | 'aborted' | 'invalid_output';
  latencyMs: number;
  attempts: number;
  template: TemplateRef | null;
}>()('ai.usage_recorded', { aggregate: 'ai_usage' });

/** LLM providers, routing, metering and budgets, prompt templates, embeddings. */
export const aiGatewayContext = defineContext({
  name: 'ai-gateway',
  events: [AiSettingsUpdated, AiTemplateSaved, AiTemplateReset, AiUsageRecorded],
});
