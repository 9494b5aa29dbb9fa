import type { TenantRequestLimitSource } from './tenant-request-limits';
import { TenantRequestLimits, tighter } from './tenant-request-limits';

const TENANT = '0b7d3f5e-1c1d-4a57-9a0e-6d2f8f7c1a01';
const OTHER = '5a1e2c3d-4b5f-4e6a-8b7c-9d0e1f2a3b4c';
const configured = { limit: 3000, name: 'for this tenant', plan: null };

function source(limits: Record<string, { perMinute: number | null; plan: string }>) {
  const calls: string[] = [];
  let release: (() => void) | null = null;
  const s: TenantRequestLimitSource & { hold: boolean } = {
    requestLimitTopic: 'billing.subscription',
    hold: false,
    async requestLimitOf(tenantId) {
      calls.push(tenantId);
      if (s.hold) await new Promise<void>((r) => (release = r));
      const limit = limits[tenantId];
      if (!limit) throw new Error('database down');
      return limit;
    },
  };
  return { s, calls, limits, release: () => release?.() };
}

function setup(limits: Record<string, { perMinute: number | null; plan: string }>) {
  const src = source(limits);
  let listener: ((key: string) => void) | null = null;
  const bus = { onInvalidate: (_topic: string, l: (key: string) => void) => (listener = l) };
  const service = new TenantRequestLimits({ RATE_LIMIT_TENANT_PER_MINUTE: 3000 }, src.s, bus);
  service.onModuleInit();
  return { service, ...src, invalidate: (key: string) => listener!(key) };
}

describe('tighter', () => {
  it('takes the plan’s limit when set and not above the configured ceiling, naming the plan', () => {
    expect(tighter(configured, { perMinute: 60, plan: 'Free' })).toEqual({ limit: 60, name: 'on the Free plan', plan: 'Free' });
    expect(tighter(configured, { perMinute: 3000, plan: 'Business' })).toEqual({ limit: 3000, name: 'on the Business plan', plan: 'Business' });
  });

  it('keeps the configured limit for an unlimited plan or one above the ceiling', () => {
    expect(tighter(configured, { perMinute: null, plan: 'Enterprise' })).toBe(configured);
    expect(tighter(configured, { perMinute: 10_000, plan: 'Huge' })).toBe(configured);
  });
});

describe('TenantRequestLimits', () => {
  it('answers the configured limit synchronously without a plan source', () => {
    const service = new TenantRequestLimits({ RATE_LIMIT_TENANT_PER_MINUTE: 700 });
    expect(service.known(TENANT)).toEqual({ limit: 700, name: 'for this tenant', plan: null });
    expect(service.resolve(TENANT)).toEqual({ limit: 700, name: 'for this tenant', plan: null });
  });

  it('loads a tenant once, then knows it synchronously; tenants are kept apart', async () => {
    const { service, calls } = setup({ [TENANT]: { perMinute: 60, plan: 'Free' }, [OTHER]: { perMinute: 600, plan: 'Team' } });
    expect(service.known(TENANT)).toBeNull();
    const [a, b] = [service.resolve(TENANT), service.resolve(TENANT)];
    expect(a).toBeInstanceOf(Promise);
    expect(await a).toEqual(await b);
    expect(calls).toEqual([TENANT]);
    expect(service.known(TENANT)).toMatchObject({ limit: 60, plan: 'Free' });
    expect(await service.resolve(OTHER)).toMatchObject({ limit: 600, plan: 'Team' });
    expect(service.known(TENANT)).toMatchObject({ limit: 60 });
  });

  it('drops a tenant on an invalidation of its id, and keeps no load that was in flight across one', async () => {
    const src = setup({ [TENANT]: { perMinute: 60, plan: 'Free' }, [OTHER]: { perMinute: 600, plan: 'Team' } });
    await src.service.resolve(TENANT);
    await src.service.resolve(OTHER);
    src.limits[TENANT] = { perMinute: 600, plan: 'Team' };
    src.invalidate(TENANT);
    expect(src.service.known(TENANT)).toBeNull();
    expect(src.service.known(OTHER)).toMatchObject({ limit: 600 });
    src.s.hold = true;
    const inFlight = src.service.resolve(TENANT);
    await new Promise((r) => setImmediate(r));
    src.invalidate(TENANT);
    src.release();
    expect(await inFlight).toMatchObject({ limit: 600, plan: 'Team' });
    expect(src.service.known(TENANT)).toBeNull();
  });

  it('falls back to the configured limit, uncached, when the plan cannot be read', async () => {
    const { service, calls } = setup({});
    expect(await service.resolve(TENANT)).toEqual(configured);
    expect(service.known(TENANT)).toBeNull();
    await service.resolve(TENANT);
    expect(calls).toHaveLength(2);
  });
});
