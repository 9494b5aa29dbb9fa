import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TemplatedAiFeature } from '../../features/ai-feature';
import type { TemplateMessage } from '../../templates/template-variables';
import type { TemplateVersion } from '../../templates/template-versions';

/** Appends a tenant version of a feature's template; `version` is the one the caller read. */
export class SaveTemplateCommand extends Command<TemplateVersion> {
  constructor(
    readonly context: CommandContext,
    readonly feature: TemplatedAiFeature,
    readonly messages: TemplateMessage[],
    readonly version?: number,
  ) {
    super();
  }
}

/** Goes back to the shipped default, recorded as a version of its own. */
export class ResetTemplateCommand extends Command<TemplateVersion> {
  constructor(
    readonly context: CommandContext,
    readonly feature: TemplatedAiFeature,
    readonly version?: number,
  ) {
    super();
  }
}
