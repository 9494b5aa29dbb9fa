import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { InvoiceKind, InvoiceStatus } from '../../domain/invoice';
import type { InvoiceView } from '../../repositories/invoices.sql';

export interface InvoiceListOptions {
  limit: number;
  cursor?: string;
  status?: InvoiceStatus;
  kind?: InvoiceKind;
  contactId?: string;
  jobId?: string;
}

/** Invoices and credit notes, newest first, keyset-paged. */
export class ListInvoicesQuery extends Query<Page<InvoiceView>> {
  constructor(
    readonly tenantId: string,
    readonly options: InvoiceListOptions,
  ) {
    super();
  }
}
