import { assertJobOpen, assertJobTransition, assertVisitPlannable, assertVisitTransition, canMoveJob, canMoveVisit, JOB_STATUSES, VISIT_STATUSES } from './status';

const conflictWith = (currentStatus: string, detail?: RegExp) =>
  expect.objectContaining({ problem: expect.objectContaining({ status: 409, ...(detail ? { detail: expect.stringMatching(detail) } : {}), extensions: expect.objectContaining({ currentStatus }) }) });

describe('job transitions', () => {
  it('goes scheduled → in progress → completed, and may be cancelled until it is closed', () => {
    expect(canMoveJob('scheduled', 'in_progress')).toBe(true);
    expect(canMoveJob('scheduled', 'completed')).toBe(true);
    expect(canMoveJob('in_progress', 'completed')).toBe(true);
    expect(canMoveJob('scheduled', 'cancelled')).toBe(true);
    expect(canMoveJob('in_progress', 'cancelled')).toBe(true);
    expect(canMoveJob('in_progress', 'scheduled')).toBe(false);
  });

  it('never leaves completed or cancelled, and says where it stands', () => {
    for (const to of JOB_STATUSES) {
      expect(canMoveJob('completed', to)).toBe(false);
      expect(canMoveJob('cancelled', to)).toBe(false);
    }
    expect(() => assertJobTransition('j1', 'completed', 'cancelled')).toThrow(conflictWith('completed'));
    expect(() => assertJobOpen('j1', 'completed')).toThrow(conflictWith('completed', /no longer be changed/));
    expect(() => assertJobOpen('j1', 'cancelled')).toThrow(conflictWith('cancelled'));
    expect(() => assertJobOpen('j1', 'in_progress')).not.toThrow();
  });
});

describe('visit transitions', () => {
  it('clocks in once, clocks out after clocking in, cancels only before starting', () => {
    expect(canMoveVisit('scheduled', 'in_progress')).toBe(true);
    expect(canMoveVisit('in_progress', 'completed')).toBe(true);
    expect(canMoveVisit('scheduled', 'cancelled')).toBe(true);
    expect(canMoveVisit('in_progress', 'cancelled')).toBe(false);
    expect(canMoveVisit('scheduled', 'completed')).toBe(false);
    for (const to of VISIT_STATUSES) expect(canMoveVisit('completed', to)).toBe(false);
  });

  it('names the refusal a technician would see', () => {
    expect(() => assertVisitTransition('v1', 'in_progress', 'in_progress')).toThrow(conflictWith('in_progress', /already clocked in/));
    expect(() => assertVisitTransition('v1', 'scheduled', 'completed')).toThrow(conflictWith('scheduled', /not clocked in yet/));
    expect(() => assertVisitTransition('v1', 'completed', 'completed')).toThrow(conflictWith('completed', /is completed/));
    expect(() => assertVisitPlannable('v1', 'in_progress')).toThrow(conflictWith('in_progress'));
    expect(() => assertVisitPlannable('v1', 'scheduled')).not.toThrow();
  });
});
