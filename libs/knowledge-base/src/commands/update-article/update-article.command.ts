import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ArticleView, Visibility } from '../../repositories/kb.sql';

export interface ArticleChanges {
  title?: string;
  body?: string;
  slug?: string;
  /** Required to change the slug of an article that was ever published: the old slug keeps answering. */
  keepRedirect?: boolean;
  visibility?: Visibility;
  tags?: string[];
  sectionId?: string;
  position?: number;
}

export class UpdateArticleCommand extends Command<ArticleView> {
  constructor(
    readonly context: CommandContext,
    readonly articleId: string,
    readonly changes: ArticleChanges,
    /** Required from HTTP (articles are edited by several agents, so a blind write is refused); null is `If-Match: *`, any current version. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
