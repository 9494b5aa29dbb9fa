import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TemplateFeature, TemplateMessage } from '../../templates/feature-templates';
import type { TemplateVersion } from '../../templates/template-store';

/** Appends a tenant version of a feature's template; `version` is the one the caller read. */
export class SaveTemplateCommand extends Command<TemplateVersion> {
  constructor(
    readonly context: CommandContext,
    readonly feature: TemplateFeature,
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
    readonly feature: TemplateFeature,
    readonly version?: number,
  ) {
    super();
  }
}
