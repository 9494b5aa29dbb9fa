import { startApi, startWorker, waitFor, type RunningApi } from '../support/processes';
import { createTwoTenants, type TenantSession } from '../support/tenants';

/** Merging contacts crosses contexts: customers merges, tickets follows through the outbox. */
describe('merging contacts', () => {
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let acme: TenantSession;
  let globex: TenantSession;

  beforeAll(async () => {
    api = await startApi();
    worker = await startWorker({ OUTBOX_POLL_MS: '50' });
    [acme, globex] = await createTwoTenants(api.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  const call = (tenant: TenantSession, method: string, path: string, body?: unknown) =>
    fetch(`${api.url}/v1${path}`, { method, headers: tenant.headers('agent'), body: body === undefined ? undefined : JSON.stringify(body) });

  it('moves identities to the target, deletes the source, and moves its tickets', async () => {
    const target = await (await call(acme, 'POST', '/contacts', { name: 'Ada', emails: ['ada@work.example'] })).json();
    const source = await (await call(acme, 'POST', '/contacts', { name: 'Ada (home)', emails: ['ada@home.example'], phones: ['+44 20 7946 0019'], locale: 'en-GB' })).json();
    const ticket = await (await call(acme, 'POST', '/tickets', { subject: 'From home', requesterId: source.id, description: 'hello' })).json();

    const res = await call(acme, 'POST', `/contacts/${target.id}/merge`, { sourceId: source.id });
    expect(res.status).toBe(200);
    const merged = await res.json();
    expect(merged).toMatchObject({ id: target.id, emails: ['ada@home.example', 'ada@work.example'], phones: ['+442079460019'], locale: 'en-GB' });
    expect((await call(acme, 'GET', `/contacts/${source.id}`)).status).toBe(404);
    const found = await (await call(acme, 'POST', '/contacts/find-or-create', { email: 'ada@home.example' })).json();
    expect(found).toMatchObject({ created: false, contact: { id: target.id } });

    await waitFor(async () => (await (await call(acme, 'GET', `/tickets/${ticket.id}`)).json()).requesterId === target.id, 'the ticket to follow the merge');
    const history = await (await call(acme, 'GET', `/tickets/${ticket.id}/history`)).json();
    expect(history.data[0]).toMatchObject({ action: 'ticket.requester_merged', changes: { requesterId: { from: source.id, to: target.id } } });
    const messages = await (await call(acme, 'GET', `/tickets/${ticket.id}/messages`)).json();
    expect(messages.data[0]).toMatchObject({ authorType: 'contact', authorId: target.id });
  });

  it('refuses merging into itself, a missing contact, or another tenant’s contact, changing nothing', async () => {
    const mine = await (await call(acme, 'POST', '/contacts', { name: 'Mine', emails: ['mine@example.com'] })).json();
    const theirs = await (await call(globex, 'POST', '/contacts', { name: 'Theirs', emails: ['theirs@example.com'] })).json();
    expect((await call(acme, 'POST', `/contacts/${mine.id}/merge`, { sourceId: mine.id })).status).toBe(422);
    expect((await call(acme, 'POST', `/contacts/${mine.id}/merge`, { sourceId: theirs.id })).status).toBe(404);
    expect((await call(globex, 'POST', `/contacts/${mine.id}/merge`, { sourceId: theirs.id })).status).toBe(404);
    expect((await call(acme, 'POST', `/contacts/${mine.id}/merge`, { sourceId: 'nope' })).status).toBe(400);
    expect((await (await call(globex, 'GET', `/contacts/${theirs.id}`)).json()).emails).toEqual(['theirs@example.com']);
    expect((await (await call(acme, 'GET', `/contacts/${mine.id}`)).json()).version).toBe(1);
  });
});
