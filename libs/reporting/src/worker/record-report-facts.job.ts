import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { AiUsageRecorded } from '@switchboard/ai-gateway';
import { JobCompleted, VisitAssigned, VisitCancelled, VisitClockedOut, VisitRescheduled, VisitScheduled } from '@switchboard/field-service';
import { AiSuggestionAccepted, AiSuggestionCreated, AiSuggestionRejected, CsatRated, CsatSurveyOffered, TicketSlaBreached, TicketSlaTargetFulfilled } from '@switchboard/tickets';
import { facts } from '../domain/report-facts';
import { MetricsRepository } from '../repositories/metrics.repository';
import { RollupsRepository } from '../repositories/rollups.repository';
import type { ReportFact } from '../repositories/rollups.sql';
import { MetricsRollupQueue } from '../reporting.context';

const EVENTS = [
  TicketSlaBreached,
  TicketSlaTargetFulfilled,
  CsatRated,
  CsatSurveyOffered,
  JobCompleted,
  VisitScheduled,
  VisitRescheduled,
  VisitAssigned,
  VisitCancelled,
  VisitClockedOut,
  AiUsageRecorded,
  AiSuggestionCreated,
  AiSuggestionAccepted,
  AiSuggestionRejected,
] as const;
type FactEvent = (typeof EVENTS)[number];

/**
 * Other contexts' events that reports count (SLA breaches and targets met, CSAT surveys sent and
 * ratings, completed jobs, visits scheduled and clocked, AI usage and suggestions), each recorded
 * as a fact keyed by what it is about, with the days it touches (old and new) marked for the
 * roll-up — in the transaction of the event's receipt.
 */
@OnEvent(EVENTS, { queue: MetricsRollupQueue, job: 'reporting.record-facts' })
export class RecordReportFactsJob implements DurableEventHandler<FactEvent> {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly metrics: MetricsRepository,
  ) {}

  async handle(event: EnvelopeOf<FactEvent>, tx: TenantTx): Promise<void> {
    const fact = await this.toFact(event, tx);
    await this.rollups.markDirty(tx, await this.rollups.saveFact(tx, fact));
  }

  private async toFact(event: EnvelopeOf<FactEvent>, tx: TenantTx): Promise<ReportFact> {
    const as = <D extends FactEvent>(_: D) => event as unknown as EnvelopeOf<D>;
    switch (event.type) {
      case TicketSlaBreached.type: {
        const ticket = await this.metrics.find(tx, event.aggregateId);
        return facts.slaBreached(as(TicketSlaBreached), { groupId: ticket?.groupId ?? null, agentId: ticket?.assigneeId ?? null });
      }
      case TicketSlaTargetFulfilled.type: {
        const ticket = await this.metrics.find(tx, event.aggregateId);
        return facts.slaFulfilled(as(TicketSlaTargetFulfilled), { groupId: ticket?.groupId ?? null, agentId: ticket?.assigneeId ?? null });
      }
      case CsatRated.type:
        return facts.csatRated(as(CsatRated));
      case CsatSurveyOffered.type:
        return facts.csatOffered(as(CsatSurveyOffered));
      case VisitScheduled.type:
        return facts.visitScheduled(as(VisitScheduled).payload, false);
      case VisitRescheduled.type: {
        const { payload } = as(VisitRescheduled);
        return facts.visitScheduled({ ...payload, ...payload.to }, false);
      }
      case VisitAssigned.type: {
        const { payload } = as(VisitAssigned);
        return facts.visitScheduled({ ...payload, technicianId: payload.to }, false);
      }
      case VisitCancelled.type:
        return facts.visitScheduled(as(VisitCancelled).payload, true);
      case VisitClockedOut.type:
        return facts.visitClocked(as(VisitClockedOut));
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
