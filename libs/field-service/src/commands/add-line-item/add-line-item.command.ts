import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { LineInput } from '../../domain/pricing';
import type { LineItemView } from '../../repositories/line-items.sql';

export class AddLineItemCommand extends Command<LineItemView> {
  constructor(
    readonly context: CommandContext,
    readonly jobId: string,
    readonly input: LineInput,
  ) {
    super();
  }
}
