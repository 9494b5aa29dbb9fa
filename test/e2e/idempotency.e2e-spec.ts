import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { adminHeaders, startApi, type RunningApi, QUEUE_PREFIX } from '../support/processes';

describe('Idempotency-Key', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  const create = (key: string, body: unknown) =>
    fetch(`${api.url}/v1/admin/probes`, { method: 'POST', headers: adminHeaders({ 'idempotency-key': key }), body: JSON.stringify(body) });

  const probesNoted = async (note: string) => {
    const res = await fetch(`${api.url}/v1/admin/probes?limit=100`, { headers: adminHeaders() });
    const page = (await res.json()) as { data: { note: string }[] };
    return page.data.filter((p) => p.note === note).length;
  };

  it('replays the first response byte for byte', async () => {
    const key = randomUUID();
    const first = await create(key, { note: `replay-${key}` });
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    // Same body with keys in another order is the same request.
    const second = await create(key, { note: `replay-${key}` });
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(await second.text()).toBe(firstBody);
    expect(await probesNoted(`replay-${key}`)).toBe(1);
  });

  it('answers the same key with another body with 422 and changes nothing', async () => {
    const key = randomUUID();
    expect((await create(key, { note: `a-${key}` })).status).toBe(201);
    const other = await create(key, { note: `b-${key}` });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await other.json()).detail).toMatch(/different request/);
    expect(await probesNoted(`b-${key}`)).toBe(0);
  });

  it('scopes keys to the caller: a key from another credential is not a replay', async () => {
    const key = randomUUID();
    const first = await create(key, { note: `scoped-${key}` });
    expect(first.status).toBe(201);
    // Anonymous callers are refused before idempotency applies, and learn nothing about the key.
    const anonymous = await fetch(`${api.url}/v1/admin/probes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ note: `scoped-${key}` }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('idempotent-replayed')).toBeNull();
  });

  it('runs 50 concurrent duplicates exactly once', async () => {
    const key = randomUUID();
    const note = `burst-${key}`;
    const responses = await Promise.all(Array.from({ length: 50 }, () => create(key, { note })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of responses.filter((r) => r.status === 409)) expect(r.headers.get('retry-after')).toBe('1');
    const ids = new Set(
      await Promise.all(responses.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as { id: string }).id)),
    );
    expect(ids.size).toBe(1);
    expect(await probesNoted(note)).toBe(1);
    // Once the first finished, every retry is a replay.
    const after = await create(key, { note });
    expect(after.status).toBe(201);
    expect(((await after.json()) as { id: string }).id).toBe([...ids][0]);
  });

  it('leaves reads alone: a GET with an Idempotency-Key never reaches the idempotency store', async () => {
    const redis = new Redis(process.env.E2E_REDIS_URL!);
    try {
      const stored = async () => (await redis.keys(`${QUEUE_PREFIX}:idem:*`)).length;
      const before = await stored();
      for (const key of [randomUUID(), 'bad key with spaces']) {
        // The malformed key, a 400 on a POST, is not even looked at.
        const read = await fetch(`${api.url}/v1/admin/probes?limit=1`, { headers: adminHeaders({ 'idempotency-key': key }) });
        expect(read.status).toBe(200);
        expect(read.headers.get('idempotent-replayed')).toBeNull();
      }
      expect(await stored()).toBe(before);
      // The same count sees a POST's key.
      expect((await create(randomUUID(), { note: 'stored' })).status).toBe(201);
      expect(await stored()).toBe(before + 1);
    } finally {
      redis.disconnect();
    }
  });

  it('rejects a malformed key', async () => {
    const res = await create('bad key with spaces', { note: 'x' });
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/Idempotency-Key/);
  });

  it('replays a 4xx answer to the same request too', async () => {
    const key = randomUUID();
    const bad = await create(key, { note: 123 });
    expect(bad.status).toBe(400);
    const again = await create(key, { note: 123 });
    expect(again.status).toBe(400);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});
