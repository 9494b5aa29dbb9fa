import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { memoryInvoices } from '../../testing/memory-invoices';
import { UpdateDraftCommand } from './update-draft.command';
import { UpdateDraftHandler } from './update-draft.handler';

describe('UpdateDraftHandler', () => {
  it('replaces a draft’s lines at the version read, and refuses a stale version or a finalised invoice', async () => {
    const tx = new FakeTenantTransaction();
    const store = memoryInvoices();
    const handler = new UpdateDraftHandler(tx.asTenantTransaction(), store.repository);
    const draft = store.add('invoice', 'draft', [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }]);
    const lines = [{ description: 'Work', quantity: '2.5', unitPrice: 333, taxRateBp: 500 }];
    const after = await handler.execute(new UpdateDraftCommand(testContext(), draft.id, { lines, memo: 'Thanks', version: 1 }));
    // 2.5 × 3.33 = 8.325 → 8.33; 5 % = 0.4165 → 0.42
    expect(after).toMatchObject({ subtotal: 833, tax: 42, total: 875, memo: 'Thanks', version: 2 });
    await expect(handler.execute(new UpdateDraftCommand(testContext(), draft.id, { lines, version: 1 }))).rejects.toMatchObject({ problem: { status: 409, type: 'version-conflict' } });
    const open = store.add('invoice', 'open', [{ description: 'x', quantity: 1, unitPrice: 100, taxRateBp: 0 }]);
    await expect(handler.execute(new UpdateDraftCommand(testContext(), open.id, { lines, version: 1 }))).rejects.toMatchObject({ problem: { status: 409, type: 'invoice-not-draft' } });
    expect(tx.audits).toHaveLength(1);
  });
});
