import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertJobOpen } from '../../domain/status';
import { JobsRepository } from '../../repositories/jobs.repository';
import { LineItemsRepository } from '../../repositories/line-items.repository';
import { RemoveLineItemCommand } from './remove-line-item.command';

@CommandHandler(RemoveLineItemCommand)
export class RemoveLineItemHandler implements ICommandHandler<RemoveLineItemCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly lineItems: LineItemsRepository,
  ) {}

  execute({ context, jobId, lineItemId }: RemoveLineItemCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const job = await this.jobs.findForUpdate(tx, jobId);
      if (!job) throw notFound('Job', jobId);
      assertJobOpen(jobId, job.status);
      const removed = await this.lineItems.remove(tx, jobId, lineItemId);
      if (!removed) throw notFound('Line item', lineItemId);
      await this.jobs.touch(tx, jobId);
      const summary = { description: removed.description, quantity: removed.quantity, unitPrice: removed.unitPrice, total: removed.total, currency: removed.currency };
      await this.jobs.recordHistory(tx, jobId, null, 'line_item.removed', { [`lineItem:${lineItemId}`]: { from: summary } });
      await tx.audit({ action: 'field_service.line_item_removed', entityType: 'field_service_job', entityId: jobId, before: { lineItemId, ...summary } });
    });
  }
}
