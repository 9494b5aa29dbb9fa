import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { groupByDayAndTechnician } from '../../domain/dispatch';
import { JobsRepository } from '../../repositories/jobs.repository';
import { VisitsRepository } from '../../repositories/visits.repository';
import { DispatchBoardQuery, type DispatchBoard } from './dispatch-board.query';

@QueryHandler(DispatchBoardQuery)
export class DispatchBoardHandler implements IQueryHandler<DispatchBoardQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
  ) {}

  execute({ tenantId, from, to, timeZone, technicianId }: DispatchBoardQuery): Promise<DispatchBoard> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const visits = await this.visits.between(tx, from, to, technicianId);
      const jobs = new Map((await this.jobs.findMany(tx, [...new Set(visits.map((v) => v.jobId))])).map((j) => [j.id, j]));
      const withJobs = visits.map((v) => {
        const j = jobs.get(v.jobId)!;
        return { ...v, job: { id: j.id, title: j.title, status: j.status, contactId: j.contactId, addressId: j.addressId } };
      });
      return { from: from.toISOString(), to: to.toISOString(), timeZone, days: groupByDayAndTechnician(withJobs, timeZone) };
    });
  }
}
