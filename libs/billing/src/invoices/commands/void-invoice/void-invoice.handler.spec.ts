import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { InvoicePaymentLinks } from '../../stripe/invoice-payment-links';
import { memoryInvoices } from '../../testing/memory-invoices';
import { VoidInvoiceCommand } from './void-invoice.command';
import { VoidInvoiceHandler } from './void-invoice.handler';

describe('VoidInvoiceHandler', () => {
  it('voids an unpaid invoice, keeps its number, deactivates its payment link after commit; a paid one stays', async () => {
    const tx = new FakeTenantTransaction();
    const store = memoryInvoices({ stripeAccountId: 'acct_1' });
    const links = { configured: true, deactivate: jest.fn(async () => undefined) };
    const handler = new VoidInvoiceHandler(tx.asTenantTransaction(), store.repository, links as unknown as InvoicePaymentLinks);
    const sent = store.add('invoice', 'sent', [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }], { stripePaymentLinkId: 'plink_9' });
    const voided = await handler.execute(new VoidInvoiceCommand(testContext(), sent.id, 'Duplicate'));
    expect(voided).toMatchObject({ status: 'void', number: sent.number, voidReason: 'Duplicate' });
    expect(links.deactivate).toHaveBeenCalledWith('acct_1', 'plink_9');
    expect(tx.emitted.map((e) => e.type)).toEqual(['billing.invoice_voided']);
    const paid = store.add('invoice', 'paid', [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }]);
    await expect(handler.execute(new VoidInvoiceCommand(testContext(), paid.id, null))).rejects.toMatchObject({ problem: { status: 409, type: 'invoice-status-conflict' } });
    links.deactivate.mockRejectedValueOnce(new Error('Stripe down'));
    const open = store.add('invoice', 'open', [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }], { stripePaymentLinkId: 'plink_10' });
    await expect(handler.execute(new VoidInvoiceCommand(testContext(), open.id, null))).resolves.toMatchObject({ status: 'void' });
  });
});
