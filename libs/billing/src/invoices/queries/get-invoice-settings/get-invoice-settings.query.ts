import { Query } from '@nestjs/cqrs';
import type { InvoiceSettings } from '../../repositories/invoices.sql';

export class GetInvoiceSettingsQuery extends Query<InvoiceSettings> {
  constructor(readonly tenantId: string) {
    super();
  }
}
