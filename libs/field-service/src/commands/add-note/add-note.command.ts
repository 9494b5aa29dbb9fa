import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { NoteView } from '../../repositories/jobs.sql';

export class AddNoteCommand extends Command<NoteView> {
  constructor(
    readonly context: CommandContext,
    readonly jobId: string,
    readonly body: string,
  ) {
    super();
  }
}
