import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TemplateRef } from '../../templates/template-versions';

export interface ExtractionResult {
  data: Record<string, unknown>;
  /** 0–1 per schema property: how firmly the value is grounded in the text. */
  confidence: Record<string, number>;
  provider: string;
  model: string;
  attempts: number;
  extractive: boolean;
  warning: string | null;
  /** The prompt template version that produced the answer. */
  template: TemplateRef;
}

export class ExtractCommand extends Command<ExtractionResult> {
  constructor(
    readonly context: CommandContext,
    readonly schema: Record<string, unknown>,
    readonly text: string,
    readonly model?: string,
  ) {
    super();
  }
}
