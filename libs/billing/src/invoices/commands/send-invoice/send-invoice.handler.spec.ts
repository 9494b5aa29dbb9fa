import { jest } from '@jest/globals';
import type { MailMessage } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { InvoiceDocuments } from '../../pdf/invoice-documents';
import type { InvoicePaymentLinks } from '../../stripe/invoice-payment-links';
import { memoryInvoices } from '../../testing/memory-invoices';
import { SendInvoiceCommand } from './send-invoice.command';
import { SendInvoiceHandler } from './send-invoice.handler';

function setup(options: { email?: string | null; account?: string | null; mailFails?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const store = memoryInvoices({ stripeAccountId: options.account === undefined ? 'acct_1' : options.account });
  const mails: MailMessage[] = [];
  const mailer = { send: jest.fn(async (m: MailMessage) => (options.mailFails ? Promise.reject(new Error('smtp down')) : void mails.push(m))) };
  const links = { configured: true, create: jest.fn(async () => ({ id: 'plink_1', url: 'https://buy.stripe.test/plink_1' })) };
  const email = options.email === undefined ? 'grete@example.test' : options.email;
  const documents = {
    assemble: jest.fn(async (_tenant: string, invoice: unknown) => ({
      contact: { emails: email ? [email] : [] },
      document: { invoice, seller: { name: 'Acme' }, customer: { name: 'Grete' }, locale: 'en' },
    })),
    render: jest.fn(async () => Buffer.from('%PDF-1.3 fake')),
  };
  const handler = new SendInvoiceHandler(tx.asTenantTransaction(), store.repository, documents as unknown as InvoiceDocuments, links as unknown as InvoicePaymentLinks, mailer);
  const invoice = store.add('invoice', 'open', [{ description: 'Pump', quantity: 1, unitPrice: 10000, taxRateBp: 2000 }], { number: 'INV-2026-000007', dueAt: '2026-12-21T00:00:00.000Z' });
  const send = (id = invoice.id, to?: string) => handler.execute(new SendInvoiceCommand(testContext(), id, to));
  return { tx, store, mails, links, invoice, send };
}

describe('SendInvoiceHandler', () => {
  it('creates the payment link once, mails the PDF and the link, and records the sending', async () => {
    const { tx, mails, links, invoice, send } = setup();
    const sent = await send();
    expect(sent).toMatchObject({ status: 'sent', sentTo: 'grete@example.test', paymentUrl: 'https://buy.stripe.test/plink_1' });
    expect(links.create).toHaveBeenCalledWith(expect.objectContaining({ invoiceId: invoice.id, amount: 12000, currency: 'EUR', account: 'acct_1', number: 'INV-2026-000007' }));
    expect(mails[0]).toMatchObject({ to: 'grete@example.test', subject: 'Invoice INV-2026-000007 from Acme', attachments: [{ filename: 'INV-2026-000007.pdf', contentType: 'application/pdf', encoding: 'base64', content: Buffer.from('%PDF-1.3 fake').toString('base64') }] });
    expect(mails[0]!.text).toContain('Pay online: https://buy.stripe.test/plink_1');
    expect(mails[0]!.text).toContain('€120.00');
    await send(invoice.id, 'accounts@example.test');
    expect(links.create).toHaveBeenCalledTimes(1);
    expect(mails[1]!.to).toBe('accounts@example.test');
    expect(tx.emitted.map((e) => e.type)).toEqual(['billing.invoice_sent', 'billing.invoice_sent']);
  });

  it('sends without a link when the tenant has no connected account', async () => {
    const { mails, links, send } = setup({ account: null });
    expect((await send()).paymentUrl).toBeNull();
    expect(links.create).not.toHaveBeenCalled();
    expect(mails[0]!.text).not.toContain('Pay online');
  });

  it('leaves the invoice as it was when there is nobody to mail or the mail fails; refuses drafts', async () => {
    const nobody = setup({ email: null });
    await expect(nobody.send()).rejects.toMatchObject({ problem: { status: 422, type: 'no-recipient' } });
    expect(nobody.store.rows.get(nobody.invoice.id)!.status).toBe('open');
    const failing = setup({ mailFails: true });
    await expect(failing.send()).rejects.toMatchObject({ problem: { status: 502, type: 'mail-unavailable' } });
    expect(failing.store.rows.get(failing.invoice.id)!.status).toBe('open');
    expect(failing.tx.emitted).toEqual([]);
    const draft = failing.store.add('invoice', 'draft', [{ description: 'x', quantity: 1, unitPrice: 1, taxRateBp: 0 }]);
    await expect(failing.send(draft.id)).rejects.toMatchObject({ problem: { status: 409, type: 'invoice-status-conflict' } });
    expect(() => new SendInvoiceCommand(testContext(), draft.id, 'not-an-email')).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 400 }) }));
  });
});
