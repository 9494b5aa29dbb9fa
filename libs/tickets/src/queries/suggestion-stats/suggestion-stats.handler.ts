import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { SuggestionsRepository } from '../../repositories/suggestions.repository';
import { SUGGESTION_KINDS } from '../../repositories/suggestions.sql';
import { SuggestionStatsQuery, type SuggestionKindStats, type SuggestionStats } from './suggestion-stats.query';

@QueryHandler(SuggestionStatsQuery)
export class SuggestionStatsHandler implements IQueryHandler<SuggestionStatsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly suggestions: SuggestionsRepository,
  ) {}

  execute({ tenantId, from, to }: SuggestionStatsQuery): Promise<SuggestionStats> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows = await this.suggestions.counts(tx, from, to);
      const data = SUGGESTION_KINDS.map((kind): SuggestionKindStats => {
        const c = rows.find((r) => r.kind === kind) ?? { created: 0, accepted: 0, acceptedWithEdits: 0, rejected: 0, pending: 0, superseded: 0, invalid: 0 };
        const decided = c.accepted + c.rejected;
        return {
          kind,
          created: c.created,
          accepted: c.accepted,
          acceptedWithEdits: c.acceptedWithEdits,
          rejected: c.rejected,
          pending: c.pending,
          superseded: c.superseded,
          invalid: c.invalid,
          acceptanceRate: decided === 0 ? null : Math.round((c.accepted / decided) * 1000) / 1000,
        };
      });
      return { from: from.toISOString(), to: to.toISOString(), data };
    });
  }
}
