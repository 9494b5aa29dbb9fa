import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { priceLine } from '../../domain/pricing';
import { unprocessable } from '../../domain/problems';
import { assertJobOpen } from '../../domain/status';
import { JobsRepository } from '../../repositories/jobs.repository';
import { LineItemsRepository } from '../../repositories/line-items.repository';
import type { LineItemView } from '../../repositories/line-items.sql';
import { ServicesRepository } from '../../repositories/services.repository';
import { AddLineItemCommand } from './add-line-item.command';

export const MAX_LINE_ITEMS = 200;

/** A priced line on an open job, from the catalog or free text; the first line sets the job's currency. */
@CommandHandler(AddLineItemCommand)
export class AddLineItemHandler implements ICommandHandler<AddLineItemCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly services: ServicesRepository,
    private readonly lineItems: LineItemsRepository,
  ) {}

  execute({ context, jobId, input }: AddLineItemCommand): Promise<LineItemView> {
    return this.tx.run(context, async (tx) => {
      const job = await this.jobs.findForUpdate(tx, jobId);
      if (!job) throw notFound('Job', jobId);
      assertJobOpen(jobId, job.status);
      let service = null;
      if (input.serviceId) {
        const found = await this.services.find(tx, input.serviceId);
        if (!found) throw unprocessable('serviceId', `Service ${input.serviceId} does not exist.`, 'invalid-reference');
        service = { ...found, deleted: found.deletedAt !== null };
      }
      const line = priceLine(input, service, job.currency);
      if ((await this.lineItems.count(tx, jobId)) >= MAX_LINE_ITEMS) throw unprocessable('serviceId', `A job holds at most ${MAX_LINE_ITEMS} line items.`);
      if (job.currency === null) await this.jobs.setCurrency(tx, jobId, line.currency);
      else await this.jobs.touch(tx, jobId);
      const item = await this.lineItems.insert(tx, jobId, line);
      const summary = { description: item.description, quantity: item.quantity, unitPrice: item.unitPrice, total: item.total, currency: item.currency };
      await this.jobs.recordHistory(tx, jobId, null, 'line_item.added', { [`lineItem:${item.id}`]: { to: summary } });
      await tx.audit({ action: 'field_service.line_item_added', entityType: 'field_service_job', entityId: jobId, after: { lineItemId: item.id, ...summary } });
      return item;
    });
  }
}
