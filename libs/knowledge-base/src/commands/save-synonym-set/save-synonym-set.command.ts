import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import { normaliseSynonymTerms } from '../../domain/synonyms';
import type { SynonymSetView } from '../../repositories/synonyms.sql';

/**
 * Creates a synonym set (id null) or replaces its terms. Validated when built: the terms arrive
 * normalised as they are stored and matched (a 422 otherwise).
 */
export class SaveSynonymSetCommand extends Command<SynonymSetView> {
  readonly terms: string[];

  constructor(
    readonly context: CommandContext,
    readonly synonymSetId: string | null,
    terms: readonly string[],
    readonly expectedVersion: number | null = null,
  ) {
    super();
    this.terms = normaliseSynonymTerms(terms);
  }
}
