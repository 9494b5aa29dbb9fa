import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ArticleView, Visibility } from '../../repositories/kb.sql';

export interface CreateArticleInput {
  sectionId: string;
  title: string;
  body: string;
  /** Derived from the title when absent (with a numeric suffix if that one is taken). */
  slug?: string;
  visibility?: Visibility;
  tags?: string[];
  position?: number;
}

/** A new draft article with its first revision. */
export class CreateArticleCommand extends Command<ArticleView> {
  constructor(
    readonly context: CommandContext,
    readonly input: CreateArticleInput,
  ) {
    super();
  }
}
