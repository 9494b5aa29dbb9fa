import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, aVisit, fakeRepositories, NOW, TECH } from '../../testing/fakes';
import { RescheduleVisitCommand } from './reschedule-visit.command';
import { RescheduleVisitHandler } from './reschedule-visit.handler';

function setup(visit = aVisit(), job = aJob(), conflicting: string | null = null) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job, [visit], { conflicting });
  const handler = new RescheduleVisitHandler(tx.asTenantTransaction(), repos.as.jobs, repos.as.visits);
  return { tx, repos, move: (input: object) => handler.execute(new RescheduleVisitCommand(testContext(), 'v1', { scheduledStart: '2026-12-02T09:00:00Z', ...input }, NOW)) };
}

describe('RescheduleVisitHandler', () => {
  it('keeps the length, checks the technician is free except for this visit, and emits visit_rescheduled', async () => {
    const { tx, repos, move } = setup();
    const after = await move({});
    expect(after).toMatchObject({ scheduledStart: '2026-12-02T09:00:00.000Z', scheduledEnd: '2026-12-02T10:00:00.000Z' });
    expect(repos.visits.conflicting).toHaveBeenCalledWith(expect.anything(), TECH, expect.anything(), 'v1');
    expect(tx.emitted).toEqual([
      {
        type: 'field_service.visit_rescheduled',
        aggregateId: 'j1',
        payload: {
          visitId: 'v1',
          technicianId: TECH,
          from: { scheduledStart: '2026-12-01T09:00:00.000Z', scheduledEnd: '2026-12-01T10:00:00.000Z' },
          to: { scheduledStart: '2026-12-02T09:00:00.000Z', scheduledEnd: '2026-12-02T10:00:00.000Z' },
          version: 1,
        },
      },
    ]);
  });

  it('refuses a visit already started, a slot taken and a past start, writing nothing', async () => {
    const started = setup(aVisit({ status: 'in_progress' }));
    await expect(started.move({})).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'in_progress' } } });
    const taken = setup(aVisit(), aJob(), 'v-other');
    await expect(taken.move({})).rejects.toMatchObject({ problem: { status: 409, extensions: { conflictingVisitId: 'v-other' } } });
    const past = setup();
    await expect(past.move({ scheduledStart: '2026-11-01T09:00:00Z' })).rejects.toMatchObject({ problem: { status: 422 } });
    for (const s of [started, taken, past]) {
      expect(s.repos.visits.reschedule).not.toHaveBeenCalled();
      expect(s.tx.events).toEqual([]);
    }
  });
});
