import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ArticleView } from '../../repositories/kb.sql';

/** Publish or archive an article; asking for the status it already has changes nothing. */
export class ChangeArticleStatusCommand extends Command<ArticleView> {
  constructor(
    readonly context: CommandContext,
    readonly articleId: string,
    readonly status: 'published' | 'archived',
  ) {
    super();
  }
}
