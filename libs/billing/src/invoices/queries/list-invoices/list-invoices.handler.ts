import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { InvoicesRepository } from '../../repositories/invoices.repository';
import type { InvoiceView } from '../../repositories/invoices.sql';
import { ListInvoicesQuery } from './list-invoices.query';

@QueryHandler(ListInvoicesQuery)
export class ListInvoicesHandler implements IQueryHandler<ListInvoicesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
  ) {}

  execute({ tenantId, options }: ListInvoicesQuery): Promise<Page<InvoiceView>> {
    const after = options.cursor ? decodeCursor(options.cursor, 2) : null;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const rows = await this.invoices.list(
        tx,
        { status: options.status, kind: options.kind, contactId: options.contactId, jobId: options.jobId, after: after ? { createdAt: String(after[0]), id: String(after[1]) } : undefined },
        options.limit,
      );
      return toPage(rows, options.limit, (last) => [last.createdAt, last.id]);
    });
  }
}
