import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { LineItemsRepository } from '../../repositories/line-items.repository';
import { aJob, fakeRepositories } from '../../testing/fakes';
import { RemoveLineItemCommand } from './remove-line-item.command';
import { RemoveLineItemHandler } from './remove-line-item.handler';

const line = { id: 'l1', jobId: 'j1', description: 'Gasket', quantity: 2, unitPrice: 450, total: 900, currency: 'EUR' };

function setup(job = aJob(), removed: object | undefined = line) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job);
  const lineItems = { remove: jest.fn(async () => removed) };
  const handler = new RemoveLineItemHandler(tx.asTenantTransaction(), repos.as.jobs, lineItems as unknown as LineItemsRepository);
  return { tx, repos, lineItems, remove: () => handler.execute(new RemoveLineItemCommand(testContext(), 'j1', 'l1')) };
}

describe('RemoveLineItemHandler', () => {
  it('removes the line with history and audit of what it was', async () => {
    const { tx, repos, remove } = setup();
    await remove();
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', null, 'line_item.removed', { 'lineItem:l1': { from: { description: 'Gasket', quantity: 2, unitPrice: 450, total: 900, currency: 'EUR' } } });
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'field_service.line_item_removed', before: expect.objectContaining({ lineItemId: 'l1' }) })]);
  });

  it('answers 404 for a line not on the job, 409 on a completed job', async () => {
    const missing = setup();
    missing.lineItems.remove.mockResolvedValue(undefined as never);
    await expect(missing.remove()).rejects.toMatchObject({ problem: { status: 404 } });
    const closed = setup(aJob({ status: 'completed' }));
    await expect(closed.remove()).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'completed' } } });
    expect(closed.lineItems.remove).not.toHaveBeenCalled();
  });
});
