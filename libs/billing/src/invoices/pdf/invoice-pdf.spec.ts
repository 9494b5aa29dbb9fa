import { priceLines, totalsOf } from '../domain/money';
import type { InvoiceView } from '../repositories/invoices.sql';
import { renderInvoicePdf } from './invoice-pdf';

describe('invoice PDF', () => {
  it('renders a one-page PDF for an invoice with lines and totals', async () => {
    const lines = priceLines([
      { description: 'Pump replacement', quantity: 1, unitPrice: 25000, taxRateBp: 2000 },
      { description: 'Labour', quantity: '0.333333', unitPrice: 9000, taxRateBp: 2000 },
    ]);
    const invoice = { id: 'i', kind: 'invoice', status: 'sent', number: 'INV-2026-000001', currency: 'EUR', ...totalsOf(lines), credited: 0, amountDue: totalsOf(lines).total, lines, memo: 'Thank you', issuedAt: '2026-12-07T10:00:00.000Z', dueAt: '2026-12-21T10:00:00.000Z', paidAt: null, paymentUrl: 'https://buy.stripe.test/x' } as unknown as InvoiceView;
    const pdf = await renderInvoicePdf({ invoice, creditedNumber: null, seller: { name: 'Acme Plumbing', address: '1 Main St', taxId: 'AT123', footer: 'IBAN AT00', logo: null }, customer: { name: 'Grete', email: 'grete@example.test', organization: null }, locale: 'en', timeZone: 'UTC' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/Type \/Pages\s*\n?\/Count 1/);
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
  });
});
