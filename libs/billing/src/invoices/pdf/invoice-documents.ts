import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery, GetOrganizationQuery, type ContactView } from '@switchboard/customers';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery, type TenantView } from '@switchboard/tenancy';
import { InvoicesRepository } from '../repositories/invoices.repository';
import type { InvoiceSettings, InvoiceView } from '../repositories/invoices.sql';
import { renderInvoicePdf, type InvoiceDocument } from './invoice-pdf';

const isTimeZone = (zone: string | null | undefined): zone is string => {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export interface LoadedDocument {
  document: InvoiceDocument;
  contact: ContactView | null;
  settings: InvoiceSettings;
}

/** Everything a document shows, gathered from billing and (through their queries) tenancy and customers. */
@Injectable()
export class InvoiceDocuments {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly invoices: InvoicesRepository,
    private readonly queries: QueryBus,
  ) {}

  async load(tenantId: string, invoiceId: string): Promise<LoadedDocument> {
    const { invoice, credited, settings } = await this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const found = await this.invoices.find(tx, invoiceId);
      if (!found) throw notFound('Invoice', invoiceId);
      const creditedInvoice = found.creditedInvoiceId ? await this.invoices.find(tx, found.creditedInvoiceId) : undefined;
      return { invoice: found, credited: creditedInvoice, settings: await this.invoices.settings(tx) };
    });
    return this.assemble(tenantId, invoice, credited?.number ?? null, settings);
  }

  async assemble(tenantId: string, invoice: InvoiceView, creditedNumber: string | null, settings: InvoiceSettings): Promise<LoadedDocument> {
    const tenant = (await this.queries.execute(new GetTenantQuery(tenantId))) as TenantView;
    const contact = await (this.queries.execute(new GetContactQuery(tenantId, invoice.contactId)) as Promise<ContactView>).catch((error: unknown) => {
      // An erased contact keeps its invoices; the document then names no one.
      if (error instanceof ProblemException && error.getStatus() === 404) return null;
      throw error;
    });
    const organization = contact?.organizationId
      ? await (this.queries.execute(new GetOrganizationQuery(tenantId, contact.organizationId)) as Promise<{ name: string }>).catch(() => null)
      : null;
    const locale = contact?.locale ?? tenant.locale ?? 'en';
    return {
      contact,
      settings,
      document: {
        invoice,
        creditedNumber,
        seller: { name: tenant.name, address: settings.address, taxId: settings.taxId, footer: settings.footer, logo: settings.logo },
        customer: { name: contact?.name ?? 'Customer', email: contact?.emails[0] ?? null, organization: organization?.name ?? null },
        locale: supportedLocale(locale),
        timeZone: [contact?.timezone, tenant.timezone].find(isTimeZone) ?? 'UTC',
      },
    };
  }

  render(document: InvoiceDocument): Promise<Buffer> {
    return renderInvoicePdf(document);
  }
}

function supportedLocale(locale: string): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale])[0] ?? 'en';
  } catch {
    return 'en';
  }
}
