import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { QueueRegistry, type TenantTx } from '@switchboard/platform';
import { execute } from '../../repositories/execute';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { timerDecision, type SlaTimer } from '../domain/sla-state';
import { slaStateSql, toStoredTarget, type TargetRow } from '../repositories/sla-state.sql';
import { SLA_TIMER_LOOKAHEAD_MS, SlaBreachDue, SlaWarningDue, TicketSlaBreached, TicketSlaTargetFulfilled, TicketSlaWarning, type SlaTimerPayload } from '../sla.registration';
import { requesterOrganizations } from './requester-organizations';
import { recomputeSla, type RunStatement, type SlaRecomputeContext, type SlaRecomputeResult } from './recompute-sla';

const iso = (t: number) => new Date(t).toISOString();
export const timerKey = (ticketId: string, metric: string) => `${ticketId}:${metric}`;

/**
 * The worker side of the SLA engine (ADR 0045): recomputes inside a transaction and acts on what
 * it recorded (a breach: history entry and console event; a fulfilment: its event for reports —
 * once each, because only the transaction that inserted the metric event sees it), then — after commit — arms the timers that fall
 * due within the look-ahead and drops stale ones. Timers re-check their deadline version.
 */
@Injectable()
export class SlaEngine {
  private readonly logger = new Logger('SlaEngine');

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly queues: QueueRegistry,
    private readonly queries: QueryBus,
  ) {}

  runner(tx: TenantTx): RunStatement {
    return <R>(statement: Parameters<RunStatement>[0]) => execute<R[]>(tx, statement);
  }

  async recompute(tx: TenantTx, ticketIds: readonly string[], now = Date.now(), context?: SlaRecomputeContext): Promise<SlaRecomputeResult> {
    const result = await recomputeSla(this.runner(tx), tx.tenantId, ticketIds, now, context, requesterOrganizations(this.queries, tx.tenantId));
    if (result.failed.length > 0) this.logger.warn({ tenantId: tx.tenantId, failed: result.failed.length, error: result.failed[0]!.error }, 'SLA deadlines not computed for some tickets');
    for (const e of result.recorded) {
      if (e.kind === 'fulfilled') {
        await tx.emit(
          TicketSlaTargetFulfilled.of(e.ticketId, {
            metric: e.metric,
            fulfilledAt: iso(e.at),
            cycleStartedAt: iso(e.cycleStartedAt ?? e.at),
            breached: e.breached ?? false,
            policyId: e.policyId,
            policyVersion: e.policyVersion,
            elapsedMinutes: e.elapsed,
          }),
        );
        continue;
      }
      if (e.kind !== 'breached') continue;
      await this.tickets.recordHistory(tx, e.ticketId, 'ticket.sla_breached', { sla: { to: { metric: e.metric, breachedAt: iso(e.at), policyId: e.policyId, policyVersion: e.policyVersion } } });
      await tx.emit(TicketSlaBreached.of(e.ticketId, { metric: e.metric, breachedAt: iso(e.at), policyId: e.policyId, policyVersion: e.policyVersion }));
    }
    return result;
  }

  /** After commit: the new timers due within the look-ahead become delayed jobs (replacing the target's pending one); stopped targets lose theirs. */
  async arm(tenantId: string, result: Pick<SlaRecomputeResult, 'timers' | 'stopped'>, now = Date.now()): Promise<void> {
    const soon = result.timers.filter((t) => t.at <= now + SLA_TIMER_LOOKAHEAD_MS);
    const outcomes = await Promise.allSettled([
      ...soon.map((t) => this.schedule(tenantId, t.ticketId, t)),
      ...result.stopped.flatMap((s) => [this.queues.cancel(SlaBreachDue, timerKey(s.ticketId, s.metric)), this.queues.cancel(SlaWarningDue, timerKey(s.ticketId, s.metric))]),
    ]);
    const failed = outcomes.filter((o) => o.status === 'rejected');
    // Postgres holds every deadline: the sweep queues what did not make it to Redis.
    if (failed.length > 0) this.logger.warn({ failed: failed.length, error: String((failed[0] as PromiseRejectedResult).reason) }, 'SLA timers not armed; the sweep retries');
  }

  schedule(tenantId: string, ticketId: string, timer: Pick<SlaTimer, 'metric' | 'kind' | 'at' | 'version'>): Promise<string> {
    const payload: SlaTimerPayload = { tenantId, ticketId, metric: timer.metric, version: timer.version };
    return this.queues.schedule(timer.kind === 'breach' ? SlaBreachDue : SlaWarningDue, payload, { key: timerKey(ticketId, timer.metric), runAt: new Date(timer.at) });
  }

  /**
   * A breach timer: stale (a recompute moved the deadline) does nothing; early re-arms itself;
   * due recomputes the ticket, which records the breached metric event — once, whoever gets there
   * first (a second timer, a second worker, the ticket's own recompute) — and acts on it.
   */
  async breach(tx: TenantTx, timer: SlaTimerPayload, now = Date.now()): Promise<{ decision: 'stale' | 'early' | 'fire'; result?: SlaRecomputeResult; at?: number }> {
    // The ticket first, as every recompute locks it: timers and consumers of one ticket queue up here.
    if (!(await this.tickets.findForUpdate(tx, timer.ticketId))) return { decision: 'stale' };
    const stored = await this.target(tx, timer);
    const decision = timerDecision(stored, { kind: 'breach', version: timer.version }, now);
    if (decision !== 'fire') return { decision, at: stored?.deadline ?? undefined };
    return { decision, result: await this.recompute(tx, [timer.ticketId], now) };
  }

  /** A warning timer: given once per deadline (the first to mark the target warned gives it), with a history entry and a console event. */
  async warn(tx: TenantTx, timer: SlaTimerPayload, now = Date.now()): Promise<{ decision: 'stale' | 'early' | 'fire' | 'given'; at?: number }> {
    const ticket = await this.tickets.findForUpdate(tx, timer.ticketId);
    if (!ticket) return { decision: 'stale' };
    const stored = await this.target(tx, timer);
    const decision = timerDecision(stored, { kind: 'warning', version: timer.version }, now);
    if (decision !== 'fire') return { decision, at: stored?.warningAt ?? undefined };
    const [marked] = await execute<{ deadline: Date; warning_at: Date }[]>(tx, slaStateSql.markWarned(tx.tenantId, timer.ticketId, timer.metric, timer.version));
    if (!marked) return { decision: 'given' };
    const deadline = iso(new Date(marked.deadline).getTime());
    const warningAt = iso(new Date(marked.warning_at).getTime());
    await this.tickets.recordHistory(tx, timer.ticketId, 'ticket.sla_warning', { sla: { to: { metric: timer.metric, deadline, warningAt, policyId: stored!.policyId } } });
    await tx.emit(TicketSlaWarning.of(timer.ticketId, { metric: timer.metric, deadline, warningAt, policyId: stored!.policyId }));
    return { decision: 'fire' };
  }

  private async target(tx: TenantTx, timer: SlaTimerPayload) {
    const [row] = await execute<TargetRow[]>(tx, slaStateSql.target(tx.tenantId, timer.ticketId, timer.metric));
    return row ? toStoredTarget(row) : undefined;
  }
}
