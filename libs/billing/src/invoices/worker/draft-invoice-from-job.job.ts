import { Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetJobQuery, JobCompleted, type JobDetail } from '@switchboard/field-service';
import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { BillingQueue } from '../../billing.context';
import { draftFromJob } from '../domain/from-job';
import { factsOf, InvoiceDrafted } from '../invoices.events';
import { InvoicesRepository } from '../repositories/invoices.repository';

/**
 * A completed job becomes a draft invoice for its customer. Once per event (the receipt commits
 * with the draft), and once per job (a unique index on the job: a draft made by hand for the job
 * first, or a second event, finds it). The job is read through field-service's query inside the
 * same transaction.
 */
@OnEvent(JobCompleted, { queue: BillingQueue, job: 'billing.draft-invoice-from-job' })
export class DraftInvoiceFromJobJob implements DurableEventHandler<typeof JobCompleted> {
  private readonly logger = new Logger('Invoices');

  constructor(
    private readonly queries: QueryBus,
    private readonly invoices: InvoicesRepository,
  ) {}

  async handle(event: EnvelopeOf<typeof JobCompleted>, tx: TenantTx): Promise<void> {
    const job = (await this.queries.execute(new GetJobQuery(event.tenantId, event.aggregateId))) as JobDetail;
    const draft = draftFromJob(job);
    if (!draft) return;
    const settings = await this.invoices.settings(tx);
    const id = await this.invoices.create(
      tx,
      { kind: 'invoice', contactId: draft.contactId, jobId: job.id, creditedInvoiceId: null, currency: draft.currency, memo: draft.memo, dueDays: settings.dueDays, totals: draft.totals, sourceEventId: event.id, createdBy: null },
      draft.lines,
    );
    if (!id) return;
    if (draft.totals.total !== event.payload.total) this.logger.warn({ tenantId: event.tenantId, jobId: job.id, invoiceTotal: draft.totals.total, jobTotal: event.payload.total }, 'Invoice total differs from the job’s');
    const invoice = (await this.invoices.find(tx, id))!;
    await tx.audit({ action: 'billing.invoice_drafted', entityType: 'billing_invoice', entityId: id, after: { jobId: job.id, contactId: invoice.contactId, total: invoice.total, lines: invoice.lines.length } });
    await tx.emit(InvoiceDrafted.of(id, { ...factsOf(invoice), source: 'job' }));
  }
}
