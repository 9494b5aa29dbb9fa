import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, aVisit, fakeRepositories, TECH } from '../../testing/fakes';
import { CloseJobCommand } from './close-job.command';
import { CloseJobHandler } from './close-job.handler';

function setup(job = aJob({ status: 'in_progress', currency: 'EUR' }), visits = [aVisit({ status: 'completed' }), aVisit({ id: 'v2', status: 'scheduled' })]) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job, visits);
  const handler = new CloseJobHandler(tx.asTenantTransaction(), repos.as.jobs, repos.as.visits, repos.as.detail);
  return { tx, repos, close: (outcome: 'completed' | 'cancelled') => handler.execute(new CloseJobCommand(testContext(), 'j1', outcome)) };
}

describe('CloseJobHandler', () => {
  it('completes the job, cancels visits not started and emits job_completed with the totals', async () => {
    const { tx, repos, close } = setup();
    expect(await close('completed')).toMatchObject({ status: 'completed' });
    expect(repos.visits.cancelScheduled).toHaveBeenCalled();
    expect(tx.emitted).toEqual([
      {
        type: 'field_service.visit_cancelled',
        aggregateId: 'j1',
        payload: { visitId: 'v2', technicianId: TECH, scheduledStart: '2026-12-01T09:00:00.000Z', scheduledEnd: '2026-12-01T10:00:00.000Z', withJob: true },
      },
      { type: 'field_service.job_completed', aggregateId: 'j1', payload: { completedAt: '2026-12-01T08:00:00.000Z', currency: 'EUR', subtotal: 0, tax: 0, total: 0, visitIds: ['v1'] } },
    ]);
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', null, 'job.completed', { status: { from: 'in_progress', to: 'completed' }, cancelledVisits: { to: ['v2'] } });
  });

  it('refuses while a visit is clocked in, naming it, and writes nothing', async () => {
    const { tx, repos, close } = setup(aJob({ status: 'in_progress' }), [aVisit({ status: 'in_progress' })]);
    await expect(close('completed')).rejects.toMatchObject({ problem: { status: 409, type: 'visit-in-progress', extensions: { visitId: 'v1' } } });
    expect(repos.jobs.setStatus).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a job already closed with its status', async () => {
    await expect(setup(aJob({ status: 'completed' })).close('completed')).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'completed' } } });
    await expect(setup(aJob({ status: 'cancelled' })).close('completed')).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'cancelled' } } });
  });

  it('cancels with job_cancelled (no completion), and tells each cancelled visit’s technician', async () => {
    const { tx, close } = setup(aJob());
    expect(await close('cancelled')).toMatchObject({ status: 'cancelled' });
    expect(tx.emitted.map((e) => e.type)).toEqual(['field_service.visit_cancelled', 'field_service.job_cancelled']);
    expect(tx.emitted[0]!.payload).toMatchObject({ visitId: 'v2', technicianId: TECH, withJob: true });
    expect(tx.emitted[1]).toEqual({ type: 'field_service.job_cancelled', aggregateId: 'j1', payload: { cancelledAt: '2026-12-01T08:00:00.000Z', visitIds: ['v2'] } });
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.job_cancelled']);
  });
});
