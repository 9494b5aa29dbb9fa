import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

/**
 * Forgets what agents' replies taught search about an article: one word (`lexeme`), or all of them
 * (null) — for a link that was wrong, which would otherwise mislead search and answers until it
 * decays. Later citations teach again.
 */
export class ForgetLearnedTermsCommand extends Command<{ forgotten: string[] }> {
  constructor(
    readonly context: CommandContext,
    readonly articleId: string,
    readonly lexeme: string | null,
  ) {
    super();
  }
}
