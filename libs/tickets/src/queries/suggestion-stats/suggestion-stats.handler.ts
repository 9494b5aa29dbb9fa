import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { SUGGESTION_KINDS, type SuggestionKind } from '../../repositories/suggestions.sql';
import { SuggestionStatsQuery, type SuggestionKindStats, type SuggestionStats } from './suggestion-stats.query';

type Counts = Omit<SuggestionKindStats, 'kind' | 'acceptanceRate'>;

@QueryHandler(SuggestionStatsQuery)
export class SuggestionStatsHandler implements IQueryHandler<SuggestionStatsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ tenantId, from, to }: SuggestionStatsQuery): Promise<SuggestionStats> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows: (Counts & { kind: SuggestionKind })[] = await tx.manager.query(
        `SELECT kind,
                count(*)::int AS created,
                (count(*) FILTER (WHERE status = 'accepted'))::int AS accepted,
                (count(*) FILTER (WHERE status = 'accepted' AND (applied->>'edited')::boolean))::int AS "acceptedWithEdits",
                (count(*) FILTER (WHERE status = 'rejected'))::int AS rejected,
                (count(*) FILTER (WHERE status = 'pending'))::int AS pending,
                (count(*) FILTER (WHERE status = 'superseded'))::int AS superseded,
                (count(*) FILTER (WHERE status = 'invalid'))::int AS invalid
           FROM ticket_ai_suggestions
          WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
          GROUP BY kind`,
        [tenantId, from, to],
      );
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
