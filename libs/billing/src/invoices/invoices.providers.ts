import { CreateCreditNoteHandler } from './commands/create-credit-note/create-credit-note.handler';
import { CreateInvoiceHandler } from './commands/create-invoice/create-invoice.handler';
import { FinaliseInvoiceHandler } from './commands/finalise-invoice/finalise-invoice.handler';
import { MarkPaidHandler } from './commands/mark-paid/mark-paid.handler';
import { RecordStripePaymentHandler } from './commands/record-stripe-payment/record-stripe-payment.handler';
import { SaveInvoiceSettingsHandler } from './commands/save-invoice-settings/save-invoice-settings.handler';
import { SendInvoiceHandler } from './commands/send-invoice/send-invoice.handler';
import { UpdateDraftHandler } from './commands/update-draft/update-draft.handler';
import { VoidInvoiceHandler } from './commands/void-invoice/void-invoice.handler';
import { InvoiceSettingsController, InvoicesController } from './http/invoices.controller';
import { InvoiceDocuments } from './pdf/invoice-documents';
import { GetInvoiceHandler } from './queries/get-invoice/get-invoice.handler';
import { GetInvoiceSettingsHandler } from './queries/get-invoice-settings/get-invoice-settings.handler';
import { ListInvoicesHandler } from './queries/list-invoices/list-invoices.handler';
import { RenderInvoicePdfHandler } from './queries/render-invoice-pdf/render-invoice-pdf.handler';
import { InvoicesRepository } from './repositories/invoices.repository';
import { InvoicePaymentLinks } from './stripe/invoice-payment-links';
import { DraftInvoiceFromJobJob } from './worker/draft-invoice-from-job.job';

/** Customer invoices' providers, shared by the api and the worker (BillingModule). */
export const INVOICE_PROVIDERS = [
  InvoicesRepository,
  InvoicePaymentLinks,
  InvoiceDocuments,
  CreateInvoiceHandler,
  UpdateDraftHandler,
  FinaliseInvoiceHandler,
  SendInvoiceHandler,
  MarkPaidHandler,
  VoidInvoiceHandler,
  CreateCreditNoteHandler,
  RecordStripePaymentHandler,
  SaveInvoiceSettingsHandler,
  GetInvoiceHandler,
  ListInvoicesHandler,
  RenderInvoicePdfHandler,
  GetInvoiceSettingsHandler,
];

export const INVOICE_CONTROLLERS = [InvoicesController, InvoiceSettingsController];

/** The worker's consumers (BillingWorkerModule). */
export const INVOICE_WORKER_PROVIDERS = [DraftInvoiceFromJobJob];
