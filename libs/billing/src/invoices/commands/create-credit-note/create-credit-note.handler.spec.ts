import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { memoryInvoices } from '../../testing/memory-invoices';
import { CreateCreditNoteCommand } from './create-credit-note.command';
import { CreateCreditNoteHandler } from './create-credit-note.handler';

describe('CreateCreditNoteHandler', () => {
  function setup() {
    const tx = new FakeTenantTransaction();
    const store = memoryInvoices();
    const handler = new CreateCreditNoteHandler(tx.asTenantTransaction(), store.repository);
    return { tx, store, credit: (id: string, input: ConstructorParameters<typeof CreateCreditNoteCommand>[2]) => handler.execute(new CreateCreditNoteCommand(testContext(), id, input)) };
  }

  it('drafts the negative of the whole invoice, or of the lines given, referencing the invoice', async () => {
    const { tx, store, credit } = setup();
    const invoice = store.add('invoice', 'sent', [
      { description: 'Pump', quantity: 1, unitPrice: 10000, taxRateBp: 2000 },
      { description: 'Labour', quantity: '0.333333', unitPrice: 9000, taxRateBp: 1000 },
    ]);
    const whole = await credit(invoice.id, { reason: 'Cancelled' });
    expect(whole).toMatchObject({ kind: 'credit_note', status: 'draft', creditedInvoiceId: invoice.id, contactId: invoice.contactId, total: -invoice.total, memo: 'Cancelled' });
    expect(whole.lines.map((l) => l.total)).toEqual(invoice.lines.map((l) => -l.total));
    const part = await credit(invoice.id, { reason: 'Labour waived', lines: [{ description: 'Labour', quantity: '0.333333', unitPrice: 9000, taxRateBp: 1000 }] });
    expect(part).toMatchObject({ subtotal: -3000, tax: -300, total: -3300 });
    expect(tx.emitted.map((e) => [e.type, (e.payload as { source: string }).source])).toEqual([
      ['billing.invoice_drafted', 'credit'],
      ['billing.invoice_drafted', 'credit'],
    ]);
  });

  it('credits only finalised invoices, never a draft, a void invoice or a credit note', async () => {
    const { store, credit } = setup();
    for (const status of ['draft', 'void'] as const) {
      const invoice = store.add('invoice', status, [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }]);
      await expect(credit(invoice.id, { reason: 'x' })).rejects.toMatchObject({ problem: { status: 409, type: 'invoice-status-conflict' } });
    }
    const note = store.add('credit_note', 'open', [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }]);
    await expect(credit(note.id, { reason: 'x' })).rejects.toMatchObject({ problem: { status: 409 } });
    expect(() => new CreateCreditNoteCommand(testContext(), note.id, { reason: '  ' })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 400 }) }));
    expect(() => new CreateCreditNoteCommand(testContext(), note.id, { reason: 'x', lines: [] })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 400 }) }));
  });
});
