import { Query } from '@nestjs/cqrs';

export interface RenderedPdf {
  filename: string;
  pdf: Buffer;
}

/** The document as the customer gets it (a draft is marked as such). */
export class RenderInvoicePdfQuery extends Query<RenderedPdf> {
  constructor(
    readonly tenantId: string,
    readonly invoiceId: string,
  ) {
    super();
  }
}
