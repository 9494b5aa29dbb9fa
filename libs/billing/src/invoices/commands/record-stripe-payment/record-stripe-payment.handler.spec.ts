import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type Stripe from 'stripe';
import type { BillingRepository } from '../../../repositories/billing.repository';
import { memoryInvoices } from '../../testing/memory-invoices';
import { invoicePaymentSession, RecordStripePaymentCommand } from './record-stripe-payment.command';
import { RecordStripePaymentHandler } from './record-stripe-payment.handler';

const TENANT = '6f1c1c36-55a4-4f43-9d7c-0d1a1e0b9a11';
const ACCOUNT = 'acct_tenant1';

function setup() {
  const tx = new FakeTenantTransaction();
  const store = memoryInvoices({ stripeAccountId: ACCOUNT });
  const claimed = new Set<string>();
  const billing = { claimStripeEvent: jest.fn(async (_tx: unknown, id: string) => (claimed.has(id) ? false : (claimed.add(id), true))) };
  const handler = new RecordStripePaymentHandler(tx.asTenantTransaction(), store.repository, billing as unknown as BillingRepository);
  const invoice = store.add('invoice', 'sent', [{ description: 'Pump', quantity: 1, unitPrice: 10000, taxRateBp: 2000 }]);
  const event = (overrides: { id?: string; account?: string; amount?: number; currency?: string; status?: string; invoiceId?: string } = {}) =>
    ({
      id: overrides.id ?? 'evt_1',
      type: 'checkout.session.completed',
      created: 1_765_000_000,
      account: overrides.account ?? ACCOUNT,
      data: {
        object: {
          id: 'cs_1',
          object: 'checkout.session',
          payment_status: overrides.status ?? 'paid',
          amount_total: overrides.amount ?? 12000,
          currency: overrides.currency ?? 'eur',
          payment_intent: 'pi_1',
          metadata: { tenant_id: TENANT, invoice_id: overrides.invoiceId ?? invoice.id },
        },
      },
    }) as unknown as Stripe.Event;
  const deliver = (e: Stripe.Event) => handler.execute(new RecordStripePaymentCommand(e, invoicePaymentSession(e)!, 'req-1'));
  return { tx, store, invoice, event, deliver };
}

describe('RecordStripePaymentHandler', () => {
  it('marks the invoice paid once per event, with the payment intent as reference', async () => {
    const { tx, store, invoice, event, deliver } = setup();
    await expect(deliver(event())).resolves.toEqual({ received: true, applied: true, reason: null });
    expect(store.rows.get(invoice.id)).toMatchObject({ status: 'paid', paymentMethod: 'stripe', paymentReference: 'pi_1' });
    expect(tx.emitted).toEqual([expect.objectContaining({ type: 'billing.invoice_paid', aggregateId: invoice.id, payload: expect.objectContaining({ method: 'stripe', stripeEventId: 'evt_1', total: 12000 }) })]);
    await expect(deliver(event())).resolves.toMatchObject({ applied: false, reason: 'duplicate event' });
    await expect(deliver(event({ id: 'evt_2' }))).resolves.toMatchObject({ applied: false, reason: 'already paid' });
    expect(tx.emitted).toHaveLength(1);
  });

  it('changes nothing for another account, another amount or currency, an unsettled payment or an unknown invoice', async () => {
    const { store, invoice, event, deliver } = setup();
    await expect(deliver(event({ id: 'e1', account: 'acct_other' }))).resolves.toMatchObject({ applied: false, reason: 'not from the tenant’s connected account' });
    await expect(deliver(event({ id: 'e2', amount: 11999 }))).resolves.toMatchObject({ applied: false, reason: expect.stringContaining('asks for 12000 EUR') });
    await expect(deliver(event({ id: 'e3', currency: 'usd' }))).resolves.toMatchObject({ applied: false });
    await expect(deliver(event({ id: 'e4', status: 'unpaid' }))).resolves.toMatchObject({ applied: false, reason: 'the payment is not settled yet' });
    await expect(deliver(event({ id: 'e5', invoiceId: '00000000-0000-4000-8000-999999999999' }))).resolves.toMatchObject({ applied: false, reason: 'no such invoice' });
    expect(store.rows.get(invoice.id)!.status).toBe('sent');
  });

  it('recognises only checkout events that name an invoice', () => {
    const { event } = setup();
    expect(invoicePaymentSession(event())).not.toBeNull();
    expect(invoicePaymentSession({ ...event(), type: 'customer.subscription.updated' } as Stripe.Event)).toBeNull();
    expect(invoicePaymentSession({ ...event(), data: { object: { metadata: {} } } } as unknown as Stripe.Event)).toBeNull();
  });
});
