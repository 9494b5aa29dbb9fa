import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { CategoryView } from '../../repositories/kb.sql';

export interface CategoryInput {
  locale?: string;
  name?: string;
  description?: string | null;
  position?: number;
}

/** Creates a category (id null) or changes one; the locale is fixed at creation. */
export class SaveCategoryCommand extends Command<CategoryView> {
  constructor(
    readonly context: CommandContext,
    readonly categoryId: string | null,
    readonly input: CategoryInput,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
