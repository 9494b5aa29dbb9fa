import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startApi, startRedis, type RunningApi } from '../support/processes';
import { client, expectStatus } from '../support/http';
import { createTwoTenants, type TenantSession } from '../support/tenants';

/**
 * Idempotency-Key records outlive Redis (ADR 0020): with a private Redis that the test flushes,
 * a retried key replays the first response from PostgreSQL and creates nothing twice.
 */
describe('Idempotency-Key after a Redis loss', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let api: RunningApi;
  let acme: TenantSession;
  let globex: TenantSession;
  let acmeContact: { id: string };
  let globexContact: { id: string };
  let flusher: Redis;
  const c = () => client(api.url);

  beforeAll(async () => {
    redis = await startRedis();
    flusher = new Redis(redis.url);
    api = await startApi({ REDIS_URL: redis.url });
    [acme, globex] = await createTwoTenants(api.url);
    acmeContact = expectStatus(await c().post('/v1/contacts', { name: 'Ada', emails: [`ada.${randomUUID()}@acme.example`] }, acme.headers('agent')), 201);
    globexContact = expectStatus(await c().post('/v1/contacts', { name: 'Gus', emails: [`gus.${randomUUID()}@globex.example`] }, globex.headers('agent')), 201);
  });
  afterAll(async () => {
    flusher?.disconnect();
    await api?.stop();
    await redis?.stop();
  });

  const create = (t: TenantSession, key: string, body: Record<string, unknown>) => c().post('/v1/tickets', body, t.headers('agent', { 'idempotency-key': key }));
  const ticketsWithSubject = async (t: TenantSession, subject: string) => {
    const page = expectStatus(await c().get('/v1/tickets?limit=100', t.headers('agent')), 200) as { data: { subject: string }[] };
    return page.data.filter((ticket) => ticket.subject === subject).length;
  };

  it('replays the first response after Redis is flushed, and creates one ticket', async () => {
    const key = randomUUID();
    const body = { subject: `Redis loss ${key}`, requesterId: acmeContact.id };
    const first = await create(acme, key, body);
    expect(first.status).toBe(201);
    await flusher.flushall();

    const retry = await create(acme, key, body);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(retry.text).toBe(first.text);
    expect(await ticketsWithSubject(acme, body.subject)).toBe(1);

    // The replay went back to Redis: flushed again, still one ticket and the same answer.
    await flusher.flushall();
    const third = await create(acme, key, body);
    expect(third.status).toBe(201);
    expect(third.text).toBe(first.text);
    expect(await ticketsWithSubject(acme, body.subject)).toBe(1);
  });

  it('answers the same key with another body with 422 after a flush, and creates nothing', async () => {
    const key = randomUUID();
    expect((await create(acme, key, { subject: `First ${key}`, requesterId: acmeContact.id })).status).toBe(201);
    await flusher.flushall();
    const other = await create(acme, key, { subject: `Second ${key}`, requesterId: acmeContact.id });
    expect(other.status).toBe(422);
    expect(other.body.type).toMatch(/idempotency-key-reused/);
    expect(await ticketsWithSubject(acme, `Second ${key}`)).toBe(0);
    // The 422 was not stored as the key's answer: the first body still replays.
    const again = await create(acme, key, { subject: `First ${key}`, requesterId: acmeContact.id });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('keeps keys per tenant: the same key string in another tenant is a new request', async () => {
    const key = randomUUID();
    const subject = `Scoped ${key}`;
    expect((await create(acme, key, { subject, requesterId: acmeContact.id })).status).toBe(201);
    await flusher.flushall();
    const theirs = await create(globex, key, { subject, requesterId: globexContact.id });
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(await ticketsWithSubject(globex, subject)).toBe(1);
    expect(await ticketsWithSubject(acme, subject)).toBe(1);
  });

  it('still creates one ticket per key while Redis is down', async () => {
    const key = randomUUID();
    const body = { subject: `Redis down ${key}`, requesterId: acmeContact.id };
    expect((await create(acme, key, body)).status).toBe(201);
    await redis.stop();
    try {
      const retry = await create(acme, key, body);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await ticketsWithSubject(acme, body.subject)).toBe(1);
    } finally {
      redis = await startRedis(redis.port);
    }
  });
});
