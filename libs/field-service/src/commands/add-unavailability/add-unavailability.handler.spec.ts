import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AvailabilityRepository } from '../../repositories/availability.repository';
import { fakeQueries, TECH } from '../../testing/fakes';
import { RemoveUnavailabilityCommand } from '../remove-unavailability/remove-unavailability.command';
import { RemoveUnavailabilityHandler } from '../remove-unavailability/remove-unavailability.handler';
import { AddUnavailabilityCommand } from './add-unavailability.command';
import { AddUnavailabilityHandler } from './add-unavailability.handler';

const block = { id: 'u1', technicianId: TECH, start: '2026-12-24T00:00:00.000Z', end: '2026-12-27T00:00:00.000Z', reason: 'Vacation', createdAt: '2026-12-01T00:00:00.000Z' };

function setup() {
  const tx = new FakeTenantTransaction();
  const repo = {
    addUnavailability: jest.fn(async () => block),
    removeUnavailability: jest.fn(async (_tx: unknown, _tech: string, id: string) => (id === 'u1' ? block : undefined)),
  };
  const as = repo as unknown as AvailabilityRepository;
  return { tx, repo, add: new AddUnavailabilityHandler(tx.asTenantTransaction(), fakeQueries().bus, as), remove: new RemoveUnavailabilityHandler(tx.asTenantTransaction(), as) };
}

describe('AddUnavailabilityHandler / RemoveUnavailabilityHandler', () => {
  it('records a span with an audit entry, and removes it again', async () => {
    const { tx, repo, add, remove } = setup();
    expect(await add.execute(new AddUnavailabilityCommand(testContext(), TECH, { start: block.start, end: block.end, reason: 'Vacation' }))).toEqual(block);
    expect(repo.addUnavailability).toHaveBeenCalledWith(expect.anything(), TECH, { start: new Date(block.start), end: new Date(block.end), reason: 'Vacation' }, expect.anything());
    await remove.execute(new RemoveUnavailabilityCommand(testContext(), TECH, 'u1'));
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.unavailability_added', 'field_service.unavailability_removed']);
  });

  it('refuses end before start (422) and an unknown span (404)', async () => {
    const { repo, add, remove } = setup();
    await expect(add.execute(new AddUnavailabilityCommand(testContext(), TECH, { start: block.end, end: block.start, reason: 'Vacation' }))).rejects.toMatchObject({ problem: { status: 422, errors: [expect.objectContaining({ field: 'end' })] } });
    expect(repo.addUnavailability).not.toHaveBeenCalled();
    await expect(remove.execute(new RemoveUnavailabilityCommand(testContext(), TECH, 'u2'))).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
