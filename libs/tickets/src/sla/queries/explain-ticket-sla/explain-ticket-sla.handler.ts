import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import { prepareCalendar } from '../../domain/business-calendar';
import { calendarProblem } from '../../domain/calendar-problem';
import { evaluateSla } from '../../domain/sla-clock';
import { policyApplies } from '../../domain/sla-policy';
import { CalendarsRepository } from '../../repositories/calendars.repository';
import { PoliciesRepository } from '../../repositories/policies.repository';
import { execute } from '../../../repositories/execute';
import { slaStateSql, type MetricEventRow } from '../../repositories/sla-state.sql';
import { ExplainTicketSlaQuery, type TicketSla } from './explain-ticket-sla.query';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const minutes = (m: number) => Math.round(m * 100) / 100;
type ExplainedEvent = TicketSla['events'][number];

/** Recorded events, and replayed ones not recorded yet (same metric, type and instant), in time order. */
function mergeEvents(recorded: ExplainedEvent[], replayed: ExplainedEvent[]): ExplainedEvent[] {
  const key = (e: ExplainedEvent) => `${e.metric}|${e.type}|${e.at}`;
  const seen = new Set(recorded.map(key));
  return [...recorded, ...replayed.filter((e) => !seen.has(key(e)))].sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Replays the ticket's history (creation, status changes, public replies) under the policy that
 * applies now, so a priority, group or policy change is reflected at once and every figure can be
 * traced to an event of the ticket.
 */
@QueryHandler(ExplainTicketSlaQuery)
export class ExplainTicketSlaHandler implements IQueryHandler<ExplainTicketSlaQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly groups: GroupsRepository,
    private readonly policies: PoliciesRepository,
    private readonly calendars: CalendarsRepository,
  ) {}

  execute({ tenantId, ticketId }: ExplainTicketSlaQuery): Promise<TicketSla> {
    const now = Date.now();
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const ticket = await this.tickets.find(tx, ticketId);
      if (!ticket) throw notFound('Ticket', ticketId);
      const base: TicketSla = { ticketId, policy: null, priority: ticket.priority, timeMode: 'calendar', calendar: null, note: null, targets: [], events: [], nextBreachAt: null, evaluatedAt: new Date(now).toISOString() };
      const recorded = (await execute<MetricEventRow[]>(tx, slaStateSql.events(tenantId, ticketId))).map((r) => ({
        metric: r.metric,
        type: r.kind,
        at: iso(new Date(r.at).getTime())!,
        elapsedMinutes: minutes(Number(r.business_minutes_elapsed)),
        recorded: true,
        policy: { id: r.policy_id, version: r.policy_version },
      }));
      base.events = recorded;
      const policy = (await this.policies.list(tx)).find((p) => p.active && policyApplies(p.conditions, ticket));
      if (!policy) return { ...base, note: 'No active SLA policy applies to this ticket.' };
      const targets = policy.targets[ticket.priority as keyof typeof policy.targets];
      const described = { ...base, policy: { id: policy.id, name: policy.name, version: policy.version } };
      if (!targets) return { ...described, note: `Policy "${policy.name}" has no targets for ${ticket.priority} priority.` };
      let calendar = null;
      let note: string | null = null;
      if (policy.businessHours) {
        const calendarId = policy.calendarId ?? (ticket.groupId ? (await this.groups.find(tx, ticket.groupId))?.businessCalendarId : null) ?? null;
        calendar = calendarId ? ((await this.calendars.find(tx, calendarId, { live: true })) ?? null) : null;
        if (!calendar) note = 'The policy counts business time, but neither it nor the ticket’s group names a business calendar: counted in calendar time.';
      }
      const timeline = await this.policies.timeline(tx, ticketId);
      let evaluation;
      try {
        evaluation = evaluateSla(timeline, { targets, pauseStatuses: policy.pauseStatuses, calendar: calendar ? prepareCalendar(calendar) : null }, now);
      } catch (error) {
        throw calendarProblem(error);
      }
      return {
        ...described,
        timeMode: calendar ? 'business' : 'calendar',
        calendar: calendar ? { id: calendar.id, name: calendar.name, timeZone: calendar.timeZone } : null,
        note,
        targets: evaluation.targets.map((t) => ({
          metric: t.metric,
          targetMinutes: t.targetMinutes,
          state: t.state,
          startedAt: iso(t.startedAt)!,
          deadline: iso(t.deadline),
          fulfilledAt: iso(t.fulfilledAt),
          breachedAt: iso(t.breachedAt),
          elapsedMinutes: minutes(t.elapsed),
          paused: t.paused.map(([from, to]) => ({ from: iso(from)!, to: iso(to) })),
        })),
        events: mergeEvents(
          recorded,
          evaluation.events.map((e) => ({ metric: e.metric, type: e.type, at: iso(e.at)!, elapsedMinutes: minutes(e.elapsed), recorded: false, policy: null })),
        ),
        nextBreachAt: iso(evaluation.nextBreachAt),
      };
    });
  }
}
