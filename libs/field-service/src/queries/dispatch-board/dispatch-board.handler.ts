import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { dayGaps, datesBetween, type Span } from '../../domain/availability';
import { groupByDayAndTechnician } from '../../domain/dispatch';
import { AvailabilityRepository } from '../../repositories/availability.repository';
import type { UnavailabilityView, WorkingHoursView } from '../../repositories/availability.sql';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import { DispatchBoardQuery, type DispatchBoard, type DispatchDay, type DispatchTechnician, type DispatchVisit } from './dispatch-board.query';

@QueryHandler(DispatchBoardQuery)
export class DispatchBoardHandler implements IQueryHandler<DispatchBoardQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
    private readonly availability: AvailabilityRepository,
  ) {}

  execute({ tenantId, from, to, timeZone, technicianId }: DispatchBoardQuery): Promise<DispatchBoard> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const [visits, hours, blocks] = await Promise.all([
        this.visits.between(tx, from, to, technicianId),
        this.availability.hoursOfAll(tx, technicianId),
        this.availability.unavailabilityBetween(tx, from, to, technicianId),
      ]);
      const jobs = new Map((await this.jobs.findMany(tx, [...new Set(visits.map((v) => v.jobId))])).map((j) => [j.id, j]));
      const withJobs = visits.map((v) => {
        const j = jobs.get(v.jobId)!;
        return { ...v, job: { id: j.id, title: j.title, status: j.status, contactId: j.contactId, addressId: j.addressId } };
      });
      const days = withGaps(groupByDayAndTechnician(withJobs, timeZone), { from, to, timeZone, hours, blocks, visits: withJobs });
      return { from: from.toISOString(), to: to.toISOString(), timeZone, days };
    });
  }
}

/** Adds each technician's free gaps per day; technicians with working hours appear on every day they work. */
function withGaps(
  grouped: { date: string; technicians: { technicianId: string | null; visits: DispatchVisit[] }[] }[],
  ctx: { from: Date; to: Date; timeZone: string; hours: WorkingHoursView[]; blocks: UnavailabilityView[]; visits: DispatchVisit[] },
): DispatchDay[] {
  const busy = new Map<string, Span[]>();
  const add = (id: string | null, span: Span) => id && busy.set(id, [...(busy.get(id) ?? []), span]);
  for (const v of ctx.visits) add(v.technicianId, { start: new Date(v.scheduledStart), end: new Date(v.scheduledEnd) });
  for (const b of ctx.blocks) add(b.technicianId, { start: new Date(b.start), end: new Date(b.end) });

  const byDate = new Map(grouped.map((d) => [d.date, new Map(d.technicians.map((t): [string | null, DispatchTechnician] => [t.technicianId, { ...t, gaps: null }]))]));
  const window = { start: ctx.from, end: ctx.to };
  for (const date of datesBetween(ctx.from, ctx.to, ctx.timeZone)) {
    for (const h of ctx.hours) {
      const gaps = dayGaps(h, date, busy.get(h.technicianId) ?? [], window);
      if (!gaps.length && !byDate.get(date)?.has(h.technicianId)) continue;
      const techs = byDate.get(date) ?? new Map<string | null, DispatchTechnician>();
      byDate.set(date, techs);
      const entry = techs.get(h.technicianId) ?? { technicianId: h.technicianId, visits: [], gaps: null };
      techs.set(h.technicianId, { ...entry, gaps: gaps.map((g) => ({ start: g.start.toISOString(), end: g.end.toISOString() })) });
    }
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, techs]) => ({
      date,
      technicians: [...techs.values()].sort((a, b) => (a.technicianId === null ? -1 : b.technicianId === null ? 1 : a.technicianId.localeCompare(b.technicianId))),
    }));
}
