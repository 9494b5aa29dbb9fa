import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, aService, fakeRepositories } from '../../testing/fakes';
import { AddLineItemCommand } from './add-line-item.command';
import { AddLineItemHandler } from './add-line-item.handler';

function setup(job = aJob(), service = aService()) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job, [], { service });
  const handler = new AddLineItemHandler(tx.asTenantTransaction(), repos.as.jobs, repos.as.services, repos.as.lineItems);
  return { tx, repos, add: (input: object) => handler.execute(new AddLineItemCommand(testContext(), 'j1', input)) };
}

describe('AddLineItemHandler', () => {
  it('prices a catalog line on the server and gives the job its currency', async () => {
    const { repos, add, tx } = setup();
    await add({ serviceId: 's1', quantity: 2 });
    expect(repos.lineItems.insert).toHaveBeenCalledWith(expect.anything(), 'j1', expect.objectContaining({ unitPrice: 8900, subtotal: 17800, tax: 3382, total: 21182, currency: 'EUR' }));
    expect(repos.jobs.setCurrency).toHaveBeenCalledWith(expect.anything(), 'j1', 'EUR');
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.line_item_added']);
  });

  it('refuses another currency than the job’s and writes nothing', async () => {
    const { repos, add, tx } = setup(aJob({ currency: 'USD' }));
    await expect(add({ serviceId: 's1' })).rejects.toMatchObject({ problem: { status: 422, type: 'currency-mismatch' } });
    expect(repos.lineItems.insert).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('refuses a completed job (409) and a service it cannot see (422)', async () => {
    await expect(setup(aJob({ status: 'completed' })).add({ serviceId: 's1' })).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'completed' } } });
    const missing = setup(aJob(), undefined as never);
    missing.repos.services.find.mockResolvedValue(undefined as never);
    await expect(missing.add({ serviceId: 's9' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
  });
});
