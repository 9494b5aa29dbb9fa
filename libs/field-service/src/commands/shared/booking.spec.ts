import { jest } from '@jest/globals';
import type { TenantTransaction } from '@switchboard/platform';
import { testContext } from '@switchboard/platform/testing';
import { QueryFailedError } from 'typeorm';
import type { VisitsRepository } from '../../repositories/visits.repository';
import { bookingGuard } from './booking';

const exclusionViolation = () => new QueryFailedError('INSERT INTO fs_visits …', [], Object.assign(new Error('conflicting key value violates exclusion constraint'), { code: '23P01', constraint: 'fs_visits_no_double_booking' }));
const slot = { technicianId: 't1', start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:00:00Z'), exceptId: null };

function setup(holder: string | null) {
  const visits = { conflictingAfterRollback: jest.fn(async () => holder) };
  const transactions = {} as TenantTransaction;
  return { visits, guard: <T>(work: () => Promise<T>, booking = () => slot as typeof slot | null) => bookingGuard(transactions, visits as unknown as VisitsRepository, testContext(), booking, work) };
}

describe('bookingGuard', () => {
  it('turns a booking the database refused (a concurrent one won) into 409 naming the visit now holding the slot', async () => {
    const { visits, guard } = setup('v-winner');
    await expect(guard(() => Promise.reject(exclusionViolation()))).rejects.toMatchObject({ problem: { status: 409, type: 'double-booking', extensions: { conflictingVisitId: 'v-winner' } } });
    expect(visits.conflictingAfterRollback).toHaveBeenCalledWith(expect.anything(), testContext().tenantId, 't1', slot, null);
  });

  it('still answers 409 when the holder cannot be read', async () => {
    const { visits, guard } = setup(null);
    visits.conflictingAfterRollback.mockRejectedValue(new Error('database gone') as never);
    await expect(guard(() => Promise.reject(exclusionViolation()))).rejects.toMatchObject({ problem: { status: 409, extensions: { conflictingVisitId: null } } });
  });

  it('leaves other errors and successful work alone', async () => {
    const { guard } = setup('v1');
    await expect(guard(async () => 'booked')).resolves.toBe('booked');
    const other = new Error('boom');
    await expect(guard(() => Promise.reject(other))).rejects.toBe(other);
  });
});
