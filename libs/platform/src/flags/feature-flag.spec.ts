import { defineFeatureFlag, evaluateFlag, type FlagRule, rolloutBucket } from './feature-flag';

const FLAG = defineFeatureFlag('tickets.new-thing', { description: 'x', default: false });
const NOW = new Date('2026-12-07T10:00:00Z');
const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const rule = (over: Partial<FlagRule>): FlagRule => ({
  name: FLAG.name, kind: 'boolean', enabled: true, percentage: 0, rolloutBy: 'tenant', allowTenants: [], allowUsers: [], plans: [], tenantOverrides: {}, expiresAt: null, version: 1, updatedAt: NOW.toISOString(), ...over,
});

describe('evaluateFlag', () => {
  it('answers the declared default without a rule and after the rule expires', () => {
    expect(evaluateFlag(FLAG, undefined, { tenantId: T1 }, NOW)).toEqual({ enabled: false, reason: 'default' });
    expect(evaluateFlag({ ...FLAG, default: true }, rule({ enabled: false, expiresAt: '2026-12-07T10:00:00Z' }), { tenantId: T1 }, NOW)).toEqual({ enabled: true, reason: 'expired' });
    expect(evaluateFlag(FLAG, rule({ expiresAt: '2026-12-07T10:00:01Z' }), { tenantId: T1 }, NOW)).toEqual({ enabled: true, reason: 'on' });
  });

  it('lets a per-tenant override win over the kill switch and every kind', () => {
    const r = rule({ enabled: false, tenantOverrides: { [T1]: true } });
    expect(evaluateFlag(FLAG, r, { tenantId: T1 }, NOW)).toEqual({ enabled: true, reason: 'tenant_override' });
    expect(evaluateFlag(FLAG, r, { tenantId: T2 }, NOW)).toEqual({ enabled: false, reason: 'off' });
    expect(evaluateFlag(FLAG, rule({ tenantOverrides: { [T1]: false } }), { tenantId: T1 }, NOW)).toEqual({ enabled: false, reason: 'tenant_override' });
    // An inherited property name is not an override.
    expect(evaluateFlag(FLAG, rule({}), { tenantId: 'constructor' }, NOW).reason).toBe('on');
  });

  it('allow-lists tenants or users', () => {
    const r = rule({ kind: 'allow_list', allowTenants: [T1], allowUsers: ['u-9'] });
    expect(evaluateFlag(FLAG, r, { tenantId: T1 }, NOW).enabled).toBe(true);
    expect(evaluateFlag(FLAG, r, { tenantId: T2, userId: 'u-9' }, NOW)).toEqual({ enabled: true, reason: 'allow_list' });
    expect(evaluateFlag(FLAG, r, { tenantId: T2, userId: 'u-1' }, NOW)).toEqual({ enabled: false, reason: 'not_allowed' });
  });

  it('rolls out to a stable share that grows without reshuffling', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `tenant-${i}`);
    const on = (pct: number) => new Set(ids.filter((id) => evaluateFlag(FLAG, rule({ kind: 'percentage', percentage: pct }), { tenantId: id }, NOW).enabled));
    const ten = on(10);
    const thirty = on(30);
    expect(ten.size / ids.length).toBeGreaterThan(0.08);
    expect(ten.size / ids.length).toBeLessThan(0.12);
    expect(thirty.size / ids.length).toBeGreaterThan(0.27);
    expect(thirty.size / ids.length).toBeLessThan(0.33);
    for (const id of ten) expect(thirty.has(id)).toBe(true);
    expect(on(0).size).toBe(0);
    expect(on(100).size).toBe(ids.length);
    // Another flag hashes the same ids into other buckets.
    expect(rolloutBucket('tickets.other', 'tenant-1')).not.toBe(rolloutBucket(FLAG.name, 'tenant-1'));
  });

  it('hashes the user when rolling out by user, the tenant when there is no user', () => {
    const r = rule({ kind: 'percentage', percentage: 50, rolloutBy: 'user' });
    const users = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const answers = new Set(users.map((u) => evaluateFlag(FLAG, r, { tenantId: T1, userId: u }, NOW).enabled));
    expect(answers).toEqual(new Set([true, false]));
    expect(evaluateFlag(FLAG, r, { tenantId: T1, userId: null }, NOW).enabled).toBe(rolloutBucket(FLAG.name, T1) < 5000);
  });

  it('turns a plan rule on for tenants on the listed plans, off when the plan is not known', () => {
    const r = rule({ kind: 'plan', plans: ['team', 'business'] });
    expect(evaluateFlag(FLAG, r, { tenantId: T1, plan: 'team' }, NOW)).toEqual({ enabled: true, reason: 'plan' });
    expect(evaluateFlag(FLAG, r, { tenantId: T1, plan: 'free' }, NOW)).toEqual({ enabled: false, reason: 'not_on_plan' });
    expect(evaluateFlag(FLAG, r, { tenantId: T1, plan: null }, NOW)).toEqual({ enabled: false, reason: 'not_on_plan' });
    expect(evaluateFlag(FLAG, r, { tenantId: T1 }, NOW)).toEqual({ enabled: false, reason: 'not_on_plan' });
    // The override and the kill switch still come first.
    expect(evaluateFlag(FLAG, rule({ kind: 'plan', plans: ['team'], tenantOverrides: { [T1]: true } }), { tenantId: T1, plan: 'free' }, NOW).reason).toBe('tenant_override');
    expect(evaluateFlag(FLAG, rule({ kind: 'plan', plans: ['team'], enabled: false }), { tenantId: T1, plan: 'team' }, NOW)).toEqual({ enabled: false, reason: 'off' });
  });
});
