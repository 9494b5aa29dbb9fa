import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, aVisit, fakeRepositories, TECH } from '../../testing/fakes';
import { CancelVisitCommand } from './cancel-visit.command';
import { CancelVisitHandler } from './cancel-visit.handler';

function setup(visit = aVisit(), job = aJob()) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job, [visit]);
  const handler = new CancelVisitHandler(tx.asTenantTransaction(), repos.as.jobs, repos.as.visits);
  return { tx, repos, cancel: (id = 'v1') => handler.execute(new CancelVisitCommand(testContext(), id)) };
}

describe('CancelVisitHandler', () => {
  it('cancels a visit not started, with history and audit', async () => {
    const { tx, repos, cancel } = setup();
    expect(await cancel()).toMatchObject({ status: 'cancelled' });
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', 'v1', 'visit.cancelled', { status: { from: 'scheduled', to: 'cancelled' } });
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.visit_cancelled']);
    expect(tx.emitted).toEqual([
      {
        type: 'field_service.visit_cancelled',
        aggregateId: 'j1',
        payload: { visitId: 'v1', technicianId: TECH, scheduledStart: '2026-12-01T09:00:00.000Z', scheduledEnd: '2026-12-01T10:00:00.000Z', withJob: false, version: 1 },
      },
    ]);
  });

  it('refuses a visit in progress or of a closed job, and answers 404 for one it cannot see', async () => {
    await expect(setup(aVisit({ status: 'in_progress' })).cancel()).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'in_progress' } } });
    await expect(setup(aVisit(), aJob({ status: 'cancelled' })).cancel()).rejects.toMatchObject({ problem: { status: 409, type: 'job-closed' } });
    const { tx, repos, cancel } = setup();
    await expect(cancel('v9')).rejects.toMatchObject({ problem: { status: 404 } });
    expect(repos.visits.setStatus).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });
});
