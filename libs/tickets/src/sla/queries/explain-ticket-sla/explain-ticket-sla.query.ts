import { Query } from '@nestjs/cqrs';
import type { MetricEventType, SlaMetric } from '../../domain/sla-clock';

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
  events: { metric: SlaMetric; type: MetricEventType; at: string; elapsedMinutes: number }[];
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
