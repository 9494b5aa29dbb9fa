import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { MessageTemplateView } from '../../repositories/message-templates.repository';

/** Creates or replaces the tenant's template (or UI string) for a key and locale; placeholders are checked first. */
export class SaveMessageTemplateCommand extends Command<MessageTemplateView> {
  constructor(
    readonly context: CommandContext,
    readonly key: string,
    readonly locale: string,
    readonly subject: string | null,
    readonly body: string,
  ) {
    super();
  }
}
