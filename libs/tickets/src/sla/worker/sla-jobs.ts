import { Processor } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import {
  EventConsumer,
  HandlesJob,
  OnEventSelfAcknowledged,
  QueueProcessor,
  QueueRegistry,
  TenantTransaction,
  type EnvelopeOf,
  type JobHandler,
  type SelfAcknowledgingEventHandler,
} from '@switchboard/platform';
import { execute } from '../../repositories/execute';
import { GroupDeleted, GroupUpdated, MessageAdded, TicketCreated, TicketMerged, TicketStatusChanged, TicketUpdated } from '../../tickets.context';
import { SlaRecomputeContext, type SlaRecomputeResult } from '../engine/recompute-sla';
import { SlaEngine } from '../engine/sla-engine';
import { slaStateSql, slaSweepSql } from '../repositories/sla-state.sql';
import {
  BusinessCalendarChanged,
  RecomputeTenantSla,
  SLA_RECOMPUTE_BATCH,
  SLA_TIMER_LOOKAHEAD_MS,
  SlaBreachDue,
  SlaPolicyChanged,
  SlaQueue,
  SlaWarningDue,
  SweepSlaTimers,
  type SlaTimerPayload,
} from '../sla.registration';

const system = (tenantId: string) => ({ tenantId, actorId: null, correlationId: null, actorType: 'system' as const });

@Processor('sla', { autorun: false, concurrency: 5 })
export class SlaQueueProcessor extends QueueProcessor {
  readonly queue = SlaQueue.name;
}

type TicketChange = typeof TicketCreated | typeof TicketUpdated | typeof TicketStatusChanged | typeof MessageAdded | typeof TicketMerged;

/**
 * Every ticket change that can move a deadline (creation, status, priority, group, tags, a reply,
 * a merge) recomputes the ticket's SLA in the worker, once per event (its receipt commits with the
 * recompute), then arms the timers. The recompute replays the whole history, so events arriving
 * out of order or twice converge on the same state.
 */
@OnEventSelfAcknowledged([TicketCreated, TicketUpdated, TicketStatusChanged, MessageAdded, TicketMerged], { queue: SlaQueue, job: 'tickets.sla-follow-ticket' })
export class RecomputeSlaOnTicketChange implements SelfAcknowledgingEventHandler<TicketChange> {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly engine: SlaEngine,
  ) {}

  async handle(event: EnvelopeOf<TicketChange>, consumer: string): Promise<void> {
    const ids = [event.aggregateId];
    const targetId = (event.payload as { targetId?: unknown }).targetId;
    if (typeof targetId === 'string') ids.push(targetId);
    let result: SlaRecomputeResult | undefined;
    await this.consumer.once(consumer, event, async (tx) => {
      result = await this.engine.recompute(tx, ids);
    });
    if (result) await this.engine.arm(event.tenantId, result);
  }
}

type RulesChange = typeof BusinessCalendarChanged | typeof SlaPolicyChanged | typeof GroupUpdated | typeof GroupDeleted;

/**
 * A calendar, a policy or a group's calendar changed (or a group went): every open ticket of the tenant is
 * recomputed, in bounded batches from a cursor in Postgres (`sla_recomputes`), so a stopped
 * worker resumes where it was; a newer change restarts the walk from the first ticket.
 */
@OnEventSelfAcknowledged([BusinessCalendarChanged, SlaPolicyChanged, GroupUpdated, GroupDeleted], { queue: SlaQueue, job: 'tickets.sla-follow-rules' })
export class RecomputeSlaOnRulesChange implements SelfAcknowledgingEventHandler<RulesChange> {
  constructor(
    private readonly consumer: EventConsumer,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(event: EnvelopeOf<RulesChange>, consumer: string): Promise<void> {
    if (event.type === GroupUpdated.type && !('businessCalendarId' in ((event.payload as { delta?: object }).delta ?? {}))) return;
    let generation: number | undefined;
    await this.consumer.once(consumer, event, async (tx) => {
      const [row] = await execute<{ generation: number }[]>(tx, slaStateSql.requestRecompute(tx.tenantId, event.type));
      generation = row!.generation;
    });
    if (generation !== undefined) await this.queues.schedule(RecomputeTenantSla, { tenantId: event.tenantId, generation }, { key: event.tenantId, runAt: new Date() });
  }
}

/** One batch of a tenant's recompute; queues the next while tickets remain (the sweep resumes a lost chain). */
@HandlesJob(RecomputeTenantSla)
export class RecomputeTenantSlaJob implements JobHandler<{ tenantId: string; generation: number }> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly engine: SlaEngine,
    private readonly queues: QueueRegistry,
  ) {}

  async handle({ tenantId }: { tenantId: string; generation: number }): Promise<void> {
    const outcome = await this.tx.run(system(tenantId), async (tx) => {
      const [cursor] = await execute<{ generation: number; after_ticket_id: string | null }[]>(tx, slaStateSql.recompute(tenantId));
      if (!cursor) return undefined;
      const ids = (await execute<{ id: string }[]>(tx, slaStateSql.openTicketsAfter(tenantId, cursor.after_ticket_id, SLA_RECOMPUTE_BATCH))).map((r) => r.id);
      const context = await SlaRecomputeContext.load(this.engine.runner(tx), tenantId);
      const result = await this.engine.recompute(tx, ids, Date.now(), context);
      const more = ids.length === SLA_RECOMPUTE_BATCH;
      await execute(tx, more ? slaStateSql.advanceRecompute(tenantId, cursor.generation, ids[ids.length - 1]!, ids.length) : slaStateSql.finishRecompute(tenantId, cursor.generation));
      return { result, more, generation: cursor.generation };
    });
    if (!outcome) return;
    await this.engine.arm(tenantId, outcome.result);
    if (outcome.more) await this.queues.schedule(RecomputeTenantSla, { tenantId, generation: outcome.generation }, { key: tenantId, runAt: new Date() });
  }
}

@HandlesJob(SlaBreachDue)
export class SlaBreachJob implements JobHandler<SlaTimerPayload> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly engine: SlaEngine,
  ) {}

  async handle(timer: SlaTimerPayload): Promise<void> {
    const outcome = await this.tx.run(system(timer.tenantId), (tx) => this.engine.breach(tx, timer));
    if (outcome.result) await this.engine.arm(timer.tenantId, outcome.result);
    // Woken before its instant (clock skew, a delay rounded down): wait again for it.
    if (outcome.decision === 'early' && outcome.at !== undefined) await this.engine.schedule(timer.tenantId, timer.ticketId, { metric: timer.metric, kind: 'breach', at: outcome.at, version: timer.version });
  }
}

@HandlesJob(SlaWarningDue)
export class SlaWarningJob implements JobHandler<SlaTimerPayload> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly engine: SlaEngine,
  ) {}

  async handle(timer: SlaTimerPayload): Promise<void> {
    const outcome = await this.tx.run(system(timer.tenantId), (tx) => this.engine.warn(tx, timer));
    if (outcome.decision === 'early' && outcome.at !== undefined) await this.engine.schedule(timer.tenantId, timer.ticketId, { metric: timer.metric, kind: 'warning', at: outcome.at, version: timer.version });
  }
}

/** Every minute across tenants: timers due within the look-ahead queued for their instant (keyed per target, so queueing twice leaves one), and stalled recomputes resumed. */
@HandlesJob(SweepSlaTimers)
export class SweepSlaTimersJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger('SweepSlaTimers');

  constructor(
    private readonly tx: TenantTransaction,
    private readonly engine: SlaEngine,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(): Promise<void> {
    const until = new Date(Date.now() + SLA_TIMER_LOOKAHEAD_MS);
    const { timers, stalled } = await this.tx.runAsSystem(async (manager) => {
      const run = async <R>(s: { sql: string; params?: unknown[] }) => (await manager.query(s.sql, s.params as unknown[])) as R[];
      return {
        timers: await run<{ tenant_id: string; ticket_id: string; metric: SlaTimerPayload['metric']; kind: 'breach' | 'warning'; at: Date; deadline_version: number }>(slaSweepSql.dueTimers(until, 1000)),
        stalled: await run<{ tenant_id: string; generation: number }>(slaSweepSql.stalledRecomputes(120_000, 100)),
      };
    });
    const results = await Promise.allSettled([
      ...timers.map((t) => this.engine.schedule(t.tenant_id, t.ticket_id, { metric: t.metric, kind: t.kind, at: new Date(t.at).getTime(), version: t.deadline_version })),
      ...stalled.map((r) => this.queues.schedule(RecomputeTenantSla, { tenantId: r.tenant_id, generation: r.generation }, { key: r.tenant_id, runAt: new Date() })),
    ]);
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0) this.logger.warn({ failed }, 'SLA timers not queued; the next sweep retries');
  }
}

export const SLA_WORKER_PROVIDERS = [SlaQueueProcessor, RecomputeSlaOnTicketChange, RecomputeSlaOnRulesChange, RecomputeTenantSlaJob, SlaBreachJob, SlaWarningJob, SweepSlaTimersJob];
