import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { memoryInvoices } from '../../testing/memory-invoices';
import { FinaliseInvoiceCommand } from './finalise-invoice.command';
import { FinaliseInvoiceHandler } from './finalise-invoice.handler';

const YEAR = new Date().getUTCFullYear();
const line = (unitPrice: number) => ({ description: 'Work', quantity: 1, unitPrice, taxRateBp: 2000 });

function setup() {
  const tx = new FakeTenantTransaction();
  const store = memoryInvoices();
  const handler = new FinaliseInvoiceHandler(tx.asTenantTransaction(), store.repository);
  const finalise = (id: string) => handler.execute(new FinaliseInvoiceCommand(testContext(), id));
  return { tx, store, finalise };
}

describe('FinaliseInvoiceHandler', () => {
  it('numbers invoices and credit notes in their own series, one after another, and emits the finalisation', async () => {
    const { tx, store, finalise } = setup();
    const a = store.add('invoice', 'draft', [line(1000)]);
    const b = store.add('invoice', 'draft', [line(2000)]);
    expect((await finalise(a.id)).number).toBe(`INV-${YEAR}-000001`);
    expect((await finalise(b.id)).number).toBe(`INV-${YEAR}-000002`);
    const note = store.add('credit_note', 'draft', [line(500)], { creditedInvoiceId: a.id });
    expect((await finalise(note.id)).number).toBe(`CN-${YEAR}-000001`);
    expect(tx.emitted.map((e) => [e.type, (e.payload as { number: string }).number])).toEqual([
      ['billing.invoice_finalised', `INV-${YEAR}-000001`],
      ['billing.invoice_finalised', `INV-${YEAR}-000002`],
      ['billing.invoice_finalised', `CN-${YEAR}-000001`],
    ]);
    expect(tx.audits[0]).toMatchObject({ action: 'billing.invoice_finalised', after: { status: 'open', number: `INV-${YEAR}-000001` } });
  });

  it('takes no number when it refuses: not a draft, no lines, a credit larger than what is owed', async () => {
    const { store, finalise } = setup();
    const open = store.add('invoice', 'open', [line(1000)]);
    await expect(finalise(open.id)).rejects.toMatchObject({ problem: { status: 409, type: 'invoice-status-conflict' } });
    const empty = store.add('invoice', 'draft', []);
    await expect(finalise(empty.id)).rejects.toMatchObject({ problem: { status: 422, type: 'invoice-empty' } });
    const tooMuch = store.add('credit_note', 'draft', [line(1001)], { creditedInvoiceId: open.id });
    await expect(finalise(tooMuch.id)).rejects.toMatchObject({ problem: { status: 422, type: 'credit-exceeds-invoice', extensions: { remaining: 1200 } } });
    await expect(finalise('00000000-0000-4000-8000-999999999999')).rejects.toMatchObject({ problem: { status: 404 } });
    expect(store.counters.size).toBe(0);
    const fits = store.add('credit_note', 'draft', [line(1000)], { creditedInvoiceId: open.id });
    expect((await finalise(fits.id)).number).toBe(`CN-${YEAR}-000001`);
  });
});
