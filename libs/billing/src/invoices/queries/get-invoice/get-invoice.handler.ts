import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { GetInvoiceQuery } from './get-invoice.query';

@QueryHandler(GetInvoiceQuery)
export class GetInvoiceHandler implements IQueryHandler<GetInvoiceQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ tenantId, invoiceId }: GetInvoiceQuery): Promise<InvoiceView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const invoice = await this.invoices.find(tx, invoiceId);
      if (!invoice) throw notFound('Invoice', invoiceId);
      return invoice;
    });
  }
}
