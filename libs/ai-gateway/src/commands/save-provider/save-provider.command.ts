import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ProviderView } from '../../settings/ai-settings';

export interface ProviderInput {
  kind: 'openai' | 'anthropic' | 'gemini';
  apiKey?: string | null;
  baseUrl?: string | null;
  defaultModel?: string | null;
}

export class SaveAiProviderCommand extends Command<{ provider: ProviderView; created: boolean }> {
  constructor(
    readonly context: CommandContext,
    readonly name: string,
    readonly input: ProviderInput,
  ) {
    super();
  }
}

export class DeleteAiProviderCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly name: string,
  ) {
    super();
  }
}
