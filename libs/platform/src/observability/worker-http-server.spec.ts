import { WorkerHttpServer } from './worker-http-server';

describe('WorkerHttpServer', () => {
  const start = async (config: { METRICS_TOKEN?: string }) => {
    const server = new WorkerHttpServer(
      { check: async () => ({ status: 'ok' }) } as never,
      { render: async () => ({ contentType: 'text/plain; version=0.0.4', body: 'queue_jobs 1\n' }) } as never,
      { status: async () => [] } as never,
      config as never,
    );
    const port = await server.listen(0, '127.0.0.1');
    return { server, url: `http://127.0.0.1:${port}` };
  };

  it('serves /metrics to the metrics token only when one is set; /health stays open for probes', async () => {
    const { server, url } = await start({ METRICS_TOKEN: 'worker-metrics-token-0123456789' });
    try {
      const refused = await fetch(`${url}/metrics`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="switchboard-metrics"');
      expect((await refused.json()).detail).toMatch(/METRICS_TOKEN is set/);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).status).toBe(401);
      const allowed = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer worker-metrics-token-0123456789' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toBe('queue_jobs 1\n');
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await server.onApplicationShutdown();
    }
  });

  it('serves /metrics to anyone without a token', async () => {
    const { server, url } = await start({});
    try {
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
    } finally {
      await server.onApplicationShutdown();
    }
  });
});
