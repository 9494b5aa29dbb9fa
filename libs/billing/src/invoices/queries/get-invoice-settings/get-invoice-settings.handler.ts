import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceSettings } from '../../repositories/invoices.sql';
import { GetInvoiceSettingsQuery } from './get-invoice-settings.query';

@QueryHandler(GetInvoiceSettingsQuery)
export class GetInvoiceSettingsHandler implements IQueryHandler<GetInvoiceSettingsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ tenantId }: GetInvoiceSettingsQuery): Promise<InvoiceSettings> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.invoices.settings(tx));
  }
}
