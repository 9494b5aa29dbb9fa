import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { AiSettings } from '../../settings/ai-settings';

export type AiSettingsInput = Partial<Omit<AiSettings, 'version' | 'updatedAt'>> & { version?: number };

export class UpdateAiSettingsCommand extends Command<AiSettings> {
  constructor(
    readonly context: CommandContext,
    readonly input: AiSettingsInput,
  ) {
    super();
  }
}
