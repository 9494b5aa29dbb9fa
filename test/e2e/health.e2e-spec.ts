import { setTimeout as sleep } from 'node:timers/promises';
import { startApi, startRedis, startWorker, waitFor, type RunningApi } from '../support/processes';

describe('health and readiness', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;

  beforeAll(async () => {
    redis = await startRedis();
    api = await startApi({ REDIS_URL: redis.url });
    worker = await startWorker({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await redis?.stop();
  });

  it('is ready with database and Redis up', async () => {
    const res = await fetch(`${api.url}/v1/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, redis: { status: 'up' } } });
    expect((await fetch(worker.healthUrl)).status).toBe(200);
  });

  it('reports a stopped Redis as not ready, stays alive, and recovers when it returns', async () => {
    await redis.stop();
    const down = await waitFor(async () => {
      const res = await fetch(`${api.url}/v1/health/ready`);
      return res.status === 503 && res;
    }, 'readiness to report Redis down');
    expect(down.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const body = await down.json();
    expect(body.detail).toBe('Not ready: redis is unavailable.');
    expect(body.checks).toMatchObject({ database: { status: 'up' }, redis: { status: 'down' } });
    expect((await fetch(`${api.url}/v1/health/live`)).status).toBe(200);
    expect((await fetch(worker.healthUrl)).status).toBe(503);
    // Metrics still answer (without queue counts) instead of waiting for Redis.
    const metrics = await fetch(`${api.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('db_pool_connections');
    expect(text).not.toMatch(/^queue_jobs\{/m);

    redis = await startRedis(redis.port);
    await waitFor(async () => (await fetch(`${api.url}/v1/health/ready`)).status === 200, 'readiness to recover', 30_000);
    await waitFor(async () => (await fetch(worker.healthUrl)).status === 200, 'the worker to recover', 30_000);
    await waitFor(async () => /^queue_jobs\{/m.test(await (await fetch(`${api.url}/metrics`)).text()), 'queue counts back in the metrics');
  });

  it('drains and exits cleanly on SIGTERM', async () => {
    const other = await startApi({ REDIS_URL: redis.url });
    const inFlight = fetch(`${other.url}/v1/health/ready`);
    await sleep(10);
    const code = await other.stop('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(code).toBe(0);
  });
});
