import type { QueryBus } from '@nestjs/cqrs';
import type { TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { RollupsRepository } from '../repositories/rollups.repository';
import { RollUpTenantJob } from './roll-up-tenant.job';

const TENANT = '11111111-1111-4111-8111-111111111111';

/** The repository's calls, in order, with a stored zone and the days the marks cover. */
function fakeRollups(storedZone: string, days: string[]) {
  const calls: unknown[][] = [];
  const repo = {
    lock: async (_tx: unknown, zone: string) => (calls.push(['lock', zone]), storedZone),
    markAll: async () => void calls.push(['markAll']),
    setTimeZone: async (_tx: unknown, zone: string) => void calls.push(['setTimeZone', zone]),
    takeDirtyDays: async (_tx: unknown, zone: string) => (calls.push(['takeDirtyDays', zone]), days),
    recompute: async (_tx: unknown, zone: string, d: string[]) => void calls.push(['recompute', zone, d]),
  };
  return { calls, repo: repo as unknown as RollupsRepository };
}
const tenantIn = (timezone: string) => ({ execute: async () => ({ id: TENANT, timezone }) }) as unknown as QueryBus;

describe('RollUpTenantJob', () => {
  it('recomputes the marked days in the tenant’s zone and tells consoles which days moved', async () => {
    const tx = new FakeTenantTransaction();
    const { calls, repo } = fakeRollups('Europe/Berlin', ['2026-03-29', '2026-03-30']);
    await new RollUpTenantJob(tx as unknown as TenantTransaction, tenantIn('Europe/Berlin'), repo).handle({ tenantId: TENANT });
    expect(calls).toEqual([
      ['lock', 'Europe/Berlin'],
      ['takeDirtyDays', 'Europe/Berlin'],
      ['recompute', 'Europe/Berlin', ['2026-03-29', '2026-03-30']],
    ]);
    expect(tx.emitted).toEqual([{ type: 'reporting.rollups_updated', aggregateId: expect.any(String), payload: { days: ['2026-03-29', '2026-03-30'] } }]);
  });

  it('does nothing and says nothing when no day is marked (a second run)', async () => {
    const tx = new FakeTenantTransaction();
    const { calls, repo } = fakeRollups('Europe/Berlin', []);
    await new RollUpTenantJob(tx as unknown as TenantTransaction, tenantIn('Europe/Berlin'), repo).handle({ tenantId: TENANT });
    expect(calls.map((c) => c[0])).toEqual(['lock', 'takeDirtyDays']);
    expect(tx.emitted).toEqual([]);
  });

  it('re-marks every day when the tenant moved to another time zone', async () => {
    const tx = new FakeTenantTransaction();
    const { calls, repo } = fakeRollups('Europe/Berlin', ['2026-03-29']);
    await new RollUpTenantJob(tx as unknown as TenantTransaction, tenantIn('America/New_York'), repo).handle({ tenantId: TENANT });
    expect(calls.slice(0, 4)).toEqual([['lock', 'America/New_York'], ['markAll'], ['setTimeZone', 'America/New_York'], ['takeDirtyDays', 'America/New_York']]);
  });
});
