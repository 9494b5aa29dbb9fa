import { Query } from '@nestjs/cqrs';
import type { SuggestionKind } from '../../repositories/suggestions.sql';

export interface SuggestionKindStats {
  kind: SuggestionKind;
  created: number;
  accepted: number;
  /** Accepted after the agent changed the text or the fields. */
  acceptedWithEdits: number;
  rejected: number;
  pending: number;
  superseded: number;
  invalid: number;
  /** accepted / (accepted + rejected); null until something was decided. */
  acceptanceRate: number | null;
}

export interface SuggestionStats {
  from: string;
  to: string;
  data: SuggestionKindStats[];
}

/** Suggestions created in [from, to), per kind, by what became of them. */
export class SuggestionStatsQuery extends Query<SuggestionStats> {
  constructor(
    readonly tenantId: string,
    readonly from: Date,
    readonly to: Date,
  ) {
    super();
  }
}
