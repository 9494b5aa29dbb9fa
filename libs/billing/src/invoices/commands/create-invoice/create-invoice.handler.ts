import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { TenantTransaction } from '@switchboard/platform';
import { factsOf, InvoiceDrafted } from '../../invoices.events';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { CreateInvoiceCommand } from './create-invoice.command';

/** A standalone draft for one of the tenant's contacts (another tenant's contact: 404). */
@CommandHandler(CreateInvoiceCommand)
export class CreateInvoiceHandler implements ICommandHandler<CreateInvoiceCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
    private readonly queries: QueryBus,
  ) {}

  execute({ context, input, lines, totals }: CreateInvoiceCommand): Promise<InvoiceView> {
    return this.tx.run(context, async (tx) => {
      await this.queries.execute(new GetContactQuery(context.tenantId, input.contactId));
      const settings = await this.invoices.settings(tx);
      const id = await this.invoices.create(
        tx,
        { kind: 'invoice', contactId: input.contactId, jobId: null, creditedInvoiceId: null, currency: input.currency, memo: input.memo ?? null, dueDays: input.dueDays ?? settings.dueDays, totals, sourceEventId: null, createdBy: context.actorId },
        lines,
      );
      const invoice = (await this.invoices.find(tx, id!))!;
      await tx.audit({ action: 'billing.invoice_drafted', entityType: 'billing_invoice', entityId: invoice.id, after: { contactId: invoice.contactId, currency: invoice.currency, total: invoice.total, lines: lines.length } });
      await tx.emit(InvoiceDrafted.of(invoice.id, { ...factsOf(invoice), source: 'api' }));
      return invoice;
    });
  }
}
