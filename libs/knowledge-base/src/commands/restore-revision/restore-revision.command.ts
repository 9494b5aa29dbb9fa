import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ArticleView } from '../../repositories/kb.sql';

/** Brings back an old revision's content as a new revision (history is never rewritten). */
export class RestoreRevisionCommand extends Command<ArticleView> {
  constructor(
    readonly context: CommandContext,
    readonly articleId: string,
    readonly revisionId: string,
  ) {
    super();
  }
}
