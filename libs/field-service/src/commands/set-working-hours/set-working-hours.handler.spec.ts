import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { WorkingHours } from '../../domain/availability';
import type { AvailabilityRepository } from '../../repositories/availability.repository';
import { fakeQueries, TECH } from '../../testing/fakes';
import { SetWorkingHoursCommand } from './set-working-hours.command';
import { SetWorkingHoursHandler } from './set-working-hours.handler';

function setup(roles?: Record<string, string>) {
  const tx = new FakeTenantTransaction();
  const repo = {
    hours: jest.fn(async () => undefined),
    setHours: jest.fn(async (_tx: unknown, technicianId: string, hours: WorkingHours) => ({ technicianId, ...hours, updatedAt: '2026-12-01T00:00:00.000Z', version: 1 })),
  };
  const handler = new SetWorkingHoursHandler(tx.asTenantTransaction(), fakeQueries(roles).bus, repo as unknown as AvailabilityRepository);
  const set = (userId: string, input: object) => handler.execute(new SetWorkingHoursCommand(testContext(), userId, { days: {}, ...input }));
  return { tx, repo, set };
}

describe('SetWorkingHoursHandler', () => {
  it('stores the pattern in the given zone, or the tenant’s, with an audit entry', async () => {
    const { tx, repo, set } = setup();
    const saved = await set(TECH, { timeZone: 'America/New_York', days: { mon: [{ start: '09:00', end: '17:00' }] } });
    expect(saved).toMatchObject({ timeZone: 'America/New_York', weekly: { mon: [{ start: '09:00', end: '17:00' }], tue: [] } });
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'field_service.working_hours_set', entityId: TECH })]);
    expect((await set(TECH, { days: { fri: [] } })).timeZone).toBe('Europe/Berlin');
    expect(repo.setHours).toHaveBeenCalledTimes(2);
  });

  it('refuses a bad zone or bad hours (422), another tenant’s user (404) and a non-technician (422), writing nothing', async () => {
    const agent = '44444444-4444-4444-8444-444444444444';
    const { repo, set } = setup({ [TECH]: 'technician', [agent]: 'agent' });
    await expect(set(TECH, { timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ problem: { status: 422, errors: [expect.objectContaining({ field: 'timeZone' })] } });
    await expect(set(TECH, { days: { mon: [{ start: '17:00', end: '09:00' }] } })).rejects.toMatchObject({ problem: { status: 422 } });
    await expect(set('55555555-5555-4555-8555-555555555555', {})).rejects.toMatchObject({ problem: { status: 404 } });
    await expect(set(agent, {})).rejects.toMatchObject({ problem: { status: 422, detail: expect.stringMatching(/not a technician/) } });
    expect(repo.setHours).not.toHaveBeenCalled();
  });
});
