import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertDraft, conflict } from '../../domain/invoice';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { UpdateDraftCommand } from './update-draft.command';

@CommandHandler(UpdateDraftCommand)
export class UpdateDraftHandler implements ICommandHandler<UpdateDraftCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ context, invoiceId, input, lines, totals }: UpdateDraftCommand): Promise<InvoiceView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.invoices.find(tx, invoiceId, true);
      if (!before) throw notFound('Invoice', invoiceId);
      assertDraft(invoiceId, before.status);
      if (before.kind === 'credit_note') throw conflict('invoice-not-draft', `Credit note ${invoiceId} takes its lines when it is created; void it and issue another.`, { currentStatus: before.status });
      if (before.version !== input.version) {
        throw conflict('version-conflict', `Invoice ${invoiceId} is at version ${before.version}, not ${input.version}: someone changed it since you read it. Read it again and re-apply your change.`, {
          currentVersion: before.version,
        });
      }
      await this.invoices.replaceDraft(tx, invoiceId, lines, { totals, memo: input.memo === undefined ? before.memo : input.memo, dueDays: input.dueDays ?? before.dueDays });
      const after = (await this.invoices.find(tx, invoiceId))!;
      await tx.audit({ action: 'billing.invoice_updated', entityType: 'billing_invoice', entityId: invoiceId, before: { total: before.total, lines: before.lines.length, memo: before.memo }, after: { total: after.total, lines: after.lines.length, memo: after.memo } });
      return after;
    });
  }
}
