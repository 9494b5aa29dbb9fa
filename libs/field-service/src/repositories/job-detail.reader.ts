import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { jobTotals, type Totals } from '../domain/pricing';
import { JobsRepository } from './jobs.repository';
import type { JobView, NoteView } from './jobs.sql';
import { LineItemsRepository } from './line-items.repository';
import type { LineItemView } from './line-items.sql';
import { VisitsRepository } from './visits.repository';
import type { VisitView } from './visits.sql';

export interface JobDetail extends JobView {
  visits: VisitView[];
  lineItems: LineItemView[];
  notes: NoteView[];
  totals: Totals;
}

/** A job with everything it holds, read in one transaction. */
@Injectable()
export class JobDetailReader {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly visits: VisitsRepository,
    private readonly lineItems: LineItemsRepository,
  ) {}

  async read(tx: TenantTx, job: JobView): Promise<JobDetail> {
    const [visits, lineItems, notes] = await Promise.all([this.visits.ofJob(tx, job.id), this.lineItems.ofJob(tx, job.id), this.jobs.notes(tx, job.id)]);
    return { ...job, visits, lineItems, notes, totals: jobTotals(lineItems, job.currency) };
  }
}
