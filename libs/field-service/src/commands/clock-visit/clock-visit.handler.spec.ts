import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, aVisit, fakeQueries, fakeRepositories, TECH } from '../../testing/fakes';
import { ClockVisitCommand } from './clock-visit.command';
import { ClockVisitHandler } from './clock-visit.handler';

const OTHER_TECH = '66666666-6666-4666-8666-666666666666';

function setup(job = aJob(), visit = aVisit(), actorId: string = TECH) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job, [visit]);
  const queries = fakeQueries({ [TECH]: 'technician', [OTHER_TECH]: 'technician', [testContext().actorId!]: 'agent' });
  const handler = new ClockVisitHandler(tx.asTenantTransaction(), queries.bus, repos.as.jobs, repos.as.visits);
  return { tx, repos, clock: (direction: 'in' | 'out') => handler.execute(new ClockVisitCommand(testContext({ actorId }), 'v1', direction)) };
}

describe('ClockVisitHandler', () => {
  it('clock-in starts the visit and, the first time, the job', async () => {
    const { tx, repos, clock } = setup();
    expect(await clock('in')).toMatchObject({ status: 'in_progress' });
    expect(repos.visits.setStatus).toHaveBeenCalledWith(expect.anything(), 'v1', 'in_progress');
    expect(repos.jobs.setStatus).toHaveBeenCalledWith(expect.anything(), 'j1', 'in_progress');
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.visit_clocked_in']);
    expect(tx.emitted).toEqual([{ type: 'field_service.visit_clocked_in', aggregateId: 'j1', payload: expect.objectContaining({ visitId: 'v1', technicianId: expect.anything(), clockedInAt: expect.any(String) }) }]);
  });

  it('refuses a second clock-in and a clock-out before clock-in (409 with the status)', async () => {
    const twice = setup(aJob({ status: 'in_progress' }), aVisit({ status: 'in_progress', clockedInAt: '2026-12-01T09:00:00.000Z' }));
    await expect(twice.clock('in')).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'in_progress' } } });
    const early = setup();
    await expect(early.clock('out')).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'scheduled' } } });
    expect(early.repos.visits.setStatus).not.toHaveBeenCalled();
    expect(early.tx.audits).toEqual([]);
  });

  it('clock-out completes the visit and leaves the job as it is', async () => {
    const { tx, repos, clock } = setup(aJob({ status: 'in_progress' }), aVisit({ status: 'in_progress', clockedInAt: '2026-12-01T07:00:00.000Z' }));
    const done = await clock('out');
    expect(done).toMatchObject({ status: 'completed' });
    expect(tx.emitted).toEqual([
      {
        type: 'field_service.visit_clocked_out',
        aggregateId: 'j1',
        payload: expect.objectContaining({ visitId: 'v1', clockedInAt: '2026-12-01T07:00:00.000Z', clockedOutAt: done.clockedOutAt, actualMinutes: done.actualMinutes ?? 0, version: done.version }),
      },
    ]);
    expect(repos.jobs.setStatus).not.toHaveBeenCalled();
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', 'v1', 'visit.clocked_out', expect.objectContaining({ status: { from: 'in_progress', to: 'completed' } }));
  });

  it('lets a technician clock only their own visit, and a dispatcher any', async () => {
    const other = setup(aJob(), aVisit(), OTHER_TECH);
    await expect(other.clock('in')).rejects.toMatchObject({ problem: { status: 403, type: 'not-assigned' } });
    expect(other.repos.visits.setStatus).not.toHaveBeenCalled();
    const dispatcher = setup(aJob(), aVisit(), testContext().actorId!);
    expect(await dispatcher.clock('in')).toMatchObject({ status: 'in_progress' });
  });

  it('refuses any clocking on a completed job', async () => {
    const { clock } = setup(aJob({ status: 'completed' }));
    await expect(clock('in')).rejects.toMatchObject({ problem: { status: 409, type: 'job-closed' } });
  });
});
