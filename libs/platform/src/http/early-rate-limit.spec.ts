import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/config.schema';
import { EarlyRateLimit } from './early-rate-limit';
import type { Principal } from './request-context';
import { TenantRequestLimits } from './tenant-request-limits';

const TENANT = '7a4e0c2d-1b3f-4c5d-8e9f-0a1b2c3d4e5f';
const TOKEN = 'a-verified-token';
const config = { QUEUE_PREFIX: 'test', RATE_LIMIT_TENANT_PER_MINUTE: 3000, RATE_LIMIT_API_KEY_PER_MINUTE: 700, RATE_LIMIT_SYNC_MS: 60_000, CORS_ORIGINS: [] } as unknown as AppConfig;

function request() {
  return { headers: { authorization: `Bearer ${TOKEN}` }, url: '/v1/tickets?limit=1' } as unknown as IncomingMessage;
}
function response() {
  const headers: Record<string, string> = {};
  const res = { statusCode: 200, body: '', setHeader: (n: string, v: string) => (headers[n] = v), end: (b: string) => (res.body = b), headers };
  return res;
}

describe('EarlyRateLimit with plan limits', () => {
  it('lets a tenant through to the guard until its plan’s limit is known, then sheds past it naming the plan; a new limit starts a new bucket', async () => {
    let plan = { perMinute: 2, plan: 'Free' };
    const limits = new TenantRequestLimits(config, { requestLimitTopic: 't', requestLimitOf: async () => plan });
    const redis = { defineCommand: () => undefined } as unknown as Redis;
    const gate = new EarlyRateLimit(redis, config, undefined, limits);
    try {
      const principal = { kind: 'user', id: 'u1', tenantId: TENANT, permissions: [] } as unknown as Principal;
      gate.verified(request(), TOKEN, principal);
      // Not known yet: never refused here (the guard loads the limit and decides).
      expect(gate.refuse(request(), response() as unknown as ServerResponse)).toBe(false);
      await limits.resolve(TENANT);
      expect(gate.refuse(request(), response() as unknown as ServerResponse)).toBe(false);
      expect(gate.refuse(request(), response() as unknown as ServerResponse)).toBe(false);
      const shed = response();
      expect(gate.refuse(request(), shed as unknown as ServerResponse)).toBe(true);
      expect(shed.statusCode).toBe(429);
      expect(JSON.parse(shed.body)).toMatchObject({ status: 429, limit: 'api-requests-per-minute', plan: 'Free', allowed: 2, detail: expect.stringMatching(/^Rate limit of 2 requests per minute on the Free plan exceeded/) });
      expect(shed.headers['RateLimit-Limit']).toBe('2');

      plan = { perMinute: 600, plan: 'Team' };
      limits.invalidate(TENANT);
      await limits.resolve(TENANT);
      expect(gate.refuse(request(), response() as unknown as ServerResponse)).toBe(false);
    } finally {
      gate.onModuleDestroy();
    }
  });
});
