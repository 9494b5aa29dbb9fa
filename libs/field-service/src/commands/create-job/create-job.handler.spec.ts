import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { fakeQueries, fakeRepositories } from '../../testing/fakes';
import { CreateJobCommand } from './create-job.command';
import { CreateJobHandler } from './create-job.handler';

function setup(addresses: Record<string, string> = { a1: 'c1', a2: 'c2' }) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(undefined);
  const queries = fakeQueries(undefined, addresses);
  const handler = new CreateJobHandler(tx.asTenantTransaction(), queries.bus, repos.as.jobs, repos.as.detail);
  return { tx, repos, queries, create: (input: object) => handler.execute(new CreateJobCommand(testContext(), { contactId: 'c1', addressId: 'a1', title: 'Boiler service', ...input })) };
}

describe('CreateJobHandler', () => {
  it('checks the contact, the address and the ticket, then writes the job with history, audit and job_created', async () => {
    const { tx, repos, queries, create } = setup();
    const job = await create({ ticketId: 't1' });
    expect(queries.execute.mock.calls.map(([q]) => (q as object).constructor.name)).toEqual(['GetContactQuery', 'GetAddressQuery', 'GetTicketQuery']);
    expect(repos.jobs.insert).toHaveBeenCalledWith(expect.anything(), { contactId: 'c1', addressId: 'a1', ticketId: 't1', title: 'Boiler service', description: null });
    expect(tx.emitted).toEqual([{ type: 'field_service.job_created', aggregateId: job.id, payload: { contactId: 'c1', addressId: 'a1', ticketId: 't1', title: 'Boiler service', status: 'scheduled' } }]);
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'field_service.job_created', entityType: 'field_service_job' })]);
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), job.id, null, 'job.created', expect.objectContaining({ title: { to: 'Boiler service' } }));
  });

  it('refuses an address of another contact with 422 and writes nothing', async () => {
    const { tx, repos, create } = setup();
    await expect(create({ addressId: 'a2' })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference' } });
    expect(repos.jobs.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('lets a missing address answer 404 as the customers context does', async () => {
    const { repos, create } = setup({});
    await expect(create({})).rejects.toMatchObject({ problem: { status: 404 } });
    expect(repos.jobs.insert).not.toHaveBeenCalled();
  });
});
