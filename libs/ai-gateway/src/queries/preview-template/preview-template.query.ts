import { Query } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ChatMessage } from '../../chat/chat.port';
import type { TemplatedAiFeature } from '../../features/ai-feature';
import type { TemplateMessage } from '../../templates/template-variables';
import type { TemplateRef } from '../../templates/template-versions';

export interface TemplatePreview {
  messages: ChatMessage[];
  /** Counted as the gateway counts before a call (o200k_base, with per-message framing). */
  promptTokens: number;
  template: Omit<TemplateRef, 'version' | 'source'> & { version: number | null; source: TemplateRef['source'] | 'draft' };
}

/** Renders the effective template, or a draft, without calling a model and without a usage row. */
export class PreviewTemplateQuery extends Query<TemplatePreview> {
  constructor(
    readonly context: CommandContext,
    readonly feature: TemplatedAiFeature,
    readonly variables: Record<string, unknown>,
    readonly draft?: TemplateMessage[],
  ) {
    super();
  }
}
