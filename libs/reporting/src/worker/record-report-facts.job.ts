import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { AiUsageRecorded } from '@switchboard/ai-gateway';
import { JobCompleted } from '@switchboard/field-service';
import { AiSuggestionAccepted, AiSuggestionCreated, AiSuggestionRejected, CsatRated, TicketSlaBreached } from '@switchboard/tickets';
import { facts } from '../domain/report-facts';
import { MetricsRepository } from '../repositories/metrics.repository';
import { RollupsRepository } from '../repositories/rollups.repository';
import type { ReportFact } from '../repositories/rollups.sql';
import { MetricsRollupQueue } from '../reporting.context';

const EVENTS = [TicketSlaBreached, CsatRated, JobCompleted, AiUsageRecorded, AiSuggestionCreated, AiSuggestionAccepted, AiSuggestionRejected] as const;
type FactEvent = (typeof EVENTS)[number];

/**
 * Other contexts' events that reports count (SLA breaches, CSAT ratings, completed jobs, AI usage
 * and suggestions), each recorded as a fact keyed by what it is about, with the days it touches
 * (old and new) marked for the roll-up — in the transaction of the event's receipt.
 */
@OnEvent(EVENTS, { queue: MetricsRollupQueue, job: 'reporting.record-facts' })
export class RecordReportFactsJob implements DurableEventHandler<FactEvent> {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly metrics: MetricsRepository,
  ) {}

  async handle(event: EnvelopeOf<FactEvent>, tx: TenantTx): Promise<void> {
    const fact = await this.toFact(event, tx);
    const previous = await this.rollups.saveFact(tx, fact);
    await this.rollups.markDirty(tx, [{ from: fact.at, to: fact.at }, ...(previous && previous !== fact.at ? [{ from: previous, to: previous }] : [])]);
  }

  private async toFact(event: EnvelopeOf<FactEvent>, tx: TenantTx): Promise<ReportFact> {
    const as = <D extends FactEvent>(_: D) => event as unknown as EnvelopeOf<D>;
    switch (event.type) {
      case TicketSlaBreached.type: {
        const ticket = await this.metrics.find(tx, event.aggregateId);
        return facts.slaBreached(as(TicketSlaBreached), { groupId: ticket?.groupId ?? null, agentId: ticket?.assigneeId ?? null });
      }
      case CsatRated.type:
        return facts.csatRated(as(CsatRated));
      case JobCompleted.type:
        return facts.jobCompleted(as(JobCompleted));
      case AiUsageRecorded.type:
        return facts.aiUsage(as(AiUsageRecorded));
      case AiSuggestionCreated.type:
        return facts.suggestionOffered(as(AiSuggestionCreated));
      default:
        return facts.suggestionDecided(as(AiSuggestionAccepted), event.type === AiSuggestionAccepted.type);
    }
  }
}
