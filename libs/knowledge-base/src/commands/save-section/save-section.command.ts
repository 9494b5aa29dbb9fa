import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { SectionView } from '../../repositories/kb.sql';

export interface SectionInput {
  categoryId?: string;
  name?: string;
  description?: string | null;
  position?: number;
}

/** Creates a section (id null) in a category, or changes one (moving it keeps the locale). */
export class SaveSectionCommand extends Command<SectionView> {
  constructor(
    readonly context: CommandContext,
    readonly sectionId: string | null,
    readonly input: SectionInput,
    readonly expectedVersion: number | null = null,
  ) {
    super();
  }
}
