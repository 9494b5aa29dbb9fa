import { Query } from '@nestjs/cqrs';
import type { InvoiceView } from '../../repositories/invoices.sql';

export class GetInvoiceQuery extends Query<InvoiceView> {
  constructor(
    readonly tenantId: string,
    readonly invoiceId: string,
  ) {
    super();
  }
}
