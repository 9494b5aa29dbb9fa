import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvoiceDocuments } from '../../pdf/invoice-documents';
import { RenderInvoicePdfQuery, type RenderedPdf } from './render-invoice-pdf.query';

@QueryHandler(RenderInvoicePdfQuery)
export class RenderInvoicePdfHandler implements IQueryHandler<RenderInvoicePdfQuery> {
  constructor(private readonly documents: InvoiceDocuments) {}

  async execute({ tenantId, invoiceId }: RenderInvoicePdfQuery): Promise<RenderedPdf> {
    const { document } = await this.documents.load(tenantId, invoiceId);
    return { filename: `${document.invoice.number ?? `draft-${invoiceId.slice(0, 8)}`}.pdf`, pdf: await this.documents.render(document) };
  }
}
