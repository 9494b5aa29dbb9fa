import type { Statement } from '@switchboard/platform';
import { prepareCalendar, type PreparedCalendar } from '../domain/business-calendar';
import { evaluateSla, type SlaMetric } from '../domain/sla-clock';
import { policyApplies, readsFields, readsOrganization } from '../domain/sla-policy';
import { planSla, warningTargets, type SlaTimer } from '../domain/sla-state';
import { calendarsSql, toCalendarView, type CalendarRow } from '../repositories/calendars.sql';
import { policiesSql, toPolicyView, toTimeline, type PolicyRow, type PolicyView, type TimelineRow } from '../repositories/policies.sql';
import { slaStateSql, toStoredTarget, type MetricEventRow, type NewMetricEvent, type SlaTicketRow, type TargetRow } from '../repositories/sla-state.sql';

/** Anything that runs a statement and answers its rows: the worker's tenant transaction, or a bench's client. */
export type RunStatement = <R = Record<string, unknown>>(statement: Statement) => Promise<R[]>;

export interface SlaRecomputeResult {
  tickets: number;
  /** Tickets whose calendar could not give a deadline (closed for years): left as they were. */
  failed: { ticketId: string; error: string }[];
  /** Metric events this call recorded (others had recorded the rest). */
  recorded: NewMetricEvent[];
  /** Timers of targets whose deadline version moved and that still run. */
  timers: (SlaTimer & { ticketId: string })[];
  /** Targets that stopped running or went away: their pending timers are stale. */
  stopped: { ticketId: string; metric: SlaMetric }[];
}

/** The organizations of requesters (contact id → organization id or null), from the customers context. */
export type OrganizationLookup = (contactIds: readonly string[]) => Promise<Map<string, string | null>>;

/** What a batch shares: the tenant's policies in order, its calendars (prepared once) and its groups' calendars. */
export class SlaRecomputeContext {
  /** Prepared once per batch; a calendar that fails validation fails once, not once per ticket. */
  private readonly prepared = new Map<string, PreparedCalendar | null | Error>();

  private constructor(
    readonly policies: PolicyView[],
    private readonly calendars: Map<string, CalendarRow>,
    private readonly groupCalendars: Map<string, string>,
  ) {}

  static async load(run: RunStatement, tenantId: string): Promise<SlaRecomputeContext> {
    const [policies, calendars, groups] = await Promise.all([
      run<PolicyRow>(policiesSql.list(tenantId)),
      run<CalendarRow>(calendarsSql.list(tenantId)),
      run<{ id: string; business_calendar_id: string }>(slaStateSql.groupCalendars(tenantId)),
    ]);
    return new SlaRecomputeContext(
      policies.map(toPolicyView).filter((p) => p.active),
      new Map(calendars.map((c) => [c.id, c])),
      new Map(groups.map((g) => [g.id, g.business_calendar_id])),
    );
  }

  /** The calendar business time runs on (the policy's, else the group's), prepared; null: calendar time. */
  calendarFor(policy: PolicyView, groupId: string | null): PreparedCalendar | null {
    if (!policy.businessHours) return null;
    const id = policy.calendarId ?? (groupId ? this.groupCalendars.get(groupId) : undefined);
    if (!id) return null;
    let prepared = this.prepared.get(id);
    if (prepared === undefined) {
      const row = this.calendars.get(id);
      try {
        prepared = row ? prepareCalendar(toCalendarView(row)) : null;
      } catch (error) {
        prepared = error instanceof Error ? error : new Error(String(error));
      }
      this.prepared.set(id, prepared);
    }
    if (prepared instanceof Error) throw prepared;
    return prepared;
  }
}

/**
 * The SLA engine's recompute (ADR 0045) for a batch of one tenant's tickets, inside the caller's
 * transaction: each ticket's history replayed under the policy that applies now, its targets'
 * rows and deadline versions, the ticket's `sla_breach_at` / state, and the metric events recorded
 * once each. Five statements whatever the batch size, plus the writes. The caller arms the timers
 * after commit and acts on the recorded breaches (history, console).
 */
export async function recomputeSla(
  run: RunStatement,
  tenantId: string,
  ticketIds: readonly string[],
  now: number,
  context?: SlaRecomputeContext,
  organizations?: OrganizationLookup,
): Promise<SlaRecomputeResult> {
  const result: SlaRecomputeResult = { tickets: 0, failed: [], recorded: [], timers: [], stopped: [] };
  if (ticketIds.length === 0) return result;
  // A batch's context is known first: its tickets' custom field values are read only when a policy needs them.
  const withFields = context ? readsFields(context.policies) : true;
  const [tickets, ctx] = await Promise.all([run<SlaTicketRow>(slaStateSql.tickets(tenantId, ticketIds, withFields)), context ?? SlaRecomputeContext.load(run, tenantId)]);
  if (tickets.length === 0) return result;
  const ids = tickets.map((t) => t.id);
  const [historyRows, targetRows] = await Promise.all([run<TimelineRow>(policiesSql.timelines(tenantId, ids)), run<TargetRow>(slaStateSql.targets(tenantId, ids))]);
  const histories = groupBy(historyRows, (r) => r.ticket_id!);
  const storedByTicket = groupBy(targetRows, (r) => r.ticket_id);
  // Read only when a policy names organizations; without a lookup (the bench) no requester has one.
  const orgOf = readsOrganization(ctx.policies) && organizations ? await organizations([...new Set(tickets.map((t) => t.requester_id))]) : new Map<string, string | null>();

  const upserts: Parameters<typeof slaStateSql.upsertTargets>[1][number][] = [];
  const deletes: { ticketId: string; metric: SlaMetric }[] = [];
  const events: NewMetricEvent[] = [];
  const ticketUpdates: Parameters<typeof slaStateSql.updateTickets>[1][number][] = [];
  for (const ticket of tickets) {
    const stored = (storedByTicket.get(ticket.id) ?? []).map(toStoredTarget);
    let plan;
    let policy: PolicyView | undefined;
    let business = false;
    try {
      const subject = {
        priority: ticket.priority,
        groupId: ticket.group_id,
        channel: ticket.channel,
        type: ticket.type,
        tags: ticket.tags,
        organizationId: orgOf.get(ticket.requester_id) ?? null,
        fields: ticket.fields ?? {},
      };
      policy = ctx.policies.find((p) => policyApplies(p.conditions, subject));
      const targets = policy?.targets[ticket.priority as keyof PolicyView['targets']];
      if (!policy || !targets) {
        plan = planSla({ policy: null, evaluation: null, warnings: null, stored, now });
      } else {
        const calendar = ctx.calendarFor(policy, ticket.group_id);
        business = calendar !== null;
        const timeline = toTimeline(histories.get(ticket.id) ?? []);
        const evaluation = evaluateSla(timeline, { targets, pauseStatuses: policy.pauseStatuses, calendar }, now);
        const warnings = policy.warningMinutes ? evaluateSla(timeline, { targets: warningTargets(targets, policy.warningMinutes), pauseStatuses: policy.pauseStatuses, calendar }, now) : null;
        plan = planSla({ policy: { id: policy.id, version: policy.version }, evaluation, warnings, stored, now });
      }
    } catch (error) {
      result.failed.push({ ticketId: ticket.id, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    result.tickets++;
    for (const t of plan.targets) {
      if (t.changed) upserts.push({ ...t, ticketId: ticket.id });
      if (t.changed && t.state !== 'active') result.stopped.push({ ticketId: ticket.id, metric: t.metric });
    }
    for (const metric of plan.removed) {
      deletes.push({ ticketId: ticket.id, metric });
      result.stopped.push({ ticketId: ticket.id, metric });
    }
    for (const timer of plan.timers) result.timers.push({ ...timer, ticketId: ticket.id });
    if (policy) for (const e of plan.events) events.push({ ...e, ticketId: ticket.id, policyId: policy.id, policyVersion: policy.version, timeMode: business ? 'business' : 'calendar' });
    const same =
      ms(ticket.sla_breach_at) === plan.ticket.breachAt && ms(ticket.sla_warning_at) === plan.ticket.warningAt && (ticket.sla_state ?? null) === plan.ticket.state;
    if (!same) ticketUpdates.push({ id: ticket.id, ...plan.ticket });
  }
  const writes: Promise<unknown>[] = [];
  if (upserts.length > 0) writes.push(run(slaStateSql.upsertTargets(tenantId, upserts)));
  if (deletes.length > 0) writes.push(run(slaStateSql.deleteTargets(tenantId, deletes)));
  if (ticketUpdates.length > 0) writes.push(run(slaStateSql.updateTickets(tenantId, ticketUpdates)));
  const inserted = events.length > 0 ? run<MetricEventRow>(slaStateSql.insertEvents(tenantId, events)) : Promise.resolve([]);
  const [rows] = await Promise.all([inserted, ...writes]);
  // What the row does not store (a fulfilment's cycle and whether it came late) comes from the replayed event it records.
  const planned = new Map(events.filter((e) => e.kind === 'fulfilled').map((e) => [eventKey(e.ticketId, e.metric, e.kind, e.at), e]));
  result.recorded = rows.map((r) => {
    const at = new Date(r.at).getTime();
    const replayed = r.kind === 'fulfilled' ? planned.get(eventKey(r.ticket_id, r.metric, r.kind, at)) : undefined;
    return {
      ticketId: r.ticket_id,
      metric: r.metric,
      kind: r.kind,
      at,
      elapsed: Number(r.business_minutes_elapsed),
      policyId: r.policy_id,
      policyVersion: r.policy_version,
      timeMode: r.time_mode,
      ...(replayed ? { cycleStartedAt: replayed.cycleStartedAt, breached: replayed.breached } : {}),
    };
  });
  return result;
}

const eventKey = (ticketId: string, metric: string, kind: string, at: number) => `${ticketId}|${metric}|${kind}|${at}`;
const ms = (d: Date | null) => (d === null ? null : new Date(d).getTime());

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
