import { Query } from '@nestjs/cqrs';
import type { SlaMetric } from '../../domain/sla-clock';
import type { RecordedMetricEvent } from '../../domain/sla-state';

export interface TargetExplanation {
  metric: SlaMetric;
  targetMinutes: number;
  state: 'active' | 'paused' | 'fulfilled' | 'breached';
  startedAt: string;
  deadline: string | null;
  fulfilledAt: string | null;
  breachedAt: string | null;
  /** Business (or calendar) minutes counted so far. */
  elapsedMinutes: number;
  paused: { from: string; to: string | null }[];
}

export interface TicketSla {
  ticketId: string;
  /** The first active policy, in order, whose conditions the ticket meets; null when none does. */
  policy: { id: string; name: string; version: number } | null;
  priority: string;
  timeMode: 'business' | 'calendar';
  /** The calendar business time runs on: the policy's, else the ticket's group's. */
  calendar: { id: string; name: string; timeZone: string } | null;
  /** Why the figures are what they are, in a sentence (no policy, no targets for the priority, no calendar…). */
  note: string | null;
  targets: TargetExplanation[];
  /**
   * The metric events: those recorded (what reporting reads, `sla_metric_events`, each with the
   * policy version it was counted under), and those the replay shows that the worker has not
   * recorded yet (`recorded: false`), in time order.
   */
  events: { metric: SlaMetric; type: RecordedMetricEvent['kind']; at: string; elapsedMinutes: number; recorded: boolean; policy: { id: string; version: number } | null }[];
  /** The earliest deadline ahead among running targets. */
  nextBreachAt: string | null;
  evaluatedAt: string;
}

/** A ticket's SLA now: the policy that applies, each target's clock, deadline and pauses, and the metric events behind them. */
export class ExplainTicketSlaQuery extends Query<TicketSla> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
