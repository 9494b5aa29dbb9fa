import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, aVisit, fakeQueries, fakeRepositories, TECH } from '../../testing/fakes';
import { AssignVisitCommand } from './assign-visit.command';
import { AssignVisitHandler } from './assign-visit.handler';

const VIEWER = '55555555-5555-4555-8555-555555555555';

function setup(visit = aVisit({ technicianId: null }), conflicting: string | null = null) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(aJob(), [visit], { conflicting });
  const handler = new AssignVisitHandler(tx.asTenantTransaction(), fakeQueries({ [TECH]: 'technician', [VIEWER]: 'viewer' }).bus, repos.as.jobs, repos.as.visits);
  return { tx, repos, assign: (technicianId: string | null) => handler.execute(new AssignVisitCommand(testContext(), 'v1', technicianId)) };
}

describe('AssignVisitHandler', () => {
  it('assigns a free technician with history and audit', async () => {
    const { tx, repos, assign } = setup();
    expect(await assign(TECH)).toMatchObject({ technicianId: TECH });
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', 'v1', 'visit.assigned', { technicianId: { from: null, to: TECH } });
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'field_service.visit_assigned', before: { technicianId: null }, after: { technicianId: TECH } })]);
    expect(tx.emitted).toEqual([
      { type: 'field_service.visit_assigned', aggregateId: 'j1', payload: { visitId: 'v1', from: null, to: TECH, scheduledStart: '2026-12-01T09:00:00.000Z', scheduledEnd: '2026-12-01T10:00:00.000Z', version: 1 } },
    ]);
  });

  it('names both technicians when a visit moves from one to another', async () => {
    const other = '66666666-6666-4666-8666-666666666666';
    const tx = new FakeTenantTransaction();
    const repos = fakeRepositories(aJob(), [aVisit({ technicianId: other })]);
    const handler = new AssignVisitHandler(tx.asTenantTransaction(), fakeQueries({ [TECH]: 'technician', [other]: 'technician' }).bus, repos.as.jobs, repos.as.visits);
    await handler.execute(new AssignVisitCommand(testContext(), 'v1', TECH));
    expect(tx.emitted).toEqual([expect.objectContaining({ type: 'field_service.visit_assigned', payload: expect.objectContaining({ from: other, to: TECH }) })]);
  });

  it('refuses a member who is not a technician, and a technician booked then', async () => {
    const viewer = setup();
    await expect(viewer.assign(VIEWER)).rejects.toMatchObject({ problem: { status: 422 } });
    const busy = setup(aVisit({ technicianId: null }), 'v-other');
    await expect(busy.assign(TECH)).rejects.toMatchObject({ problem: { status: 409, extensions: { conflictingVisitId: 'v-other' } } });
    expect(viewer.repos.visits.assign).not.toHaveBeenCalled();
    expect(busy.repos.visits.assign).not.toHaveBeenCalled();
    expect([...viewer.tx.events, ...busy.tx.events]).toEqual([]);
  });

  it('unassigns without looking anyone up, and does nothing when nothing changes', async () => {
    const { repos, assign } = setup(aVisit());
    expect(await assign(null)).toMatchObject({ technicianId: null });
    expect(repos.visits.conflicting).not.toHaveBeenCalled();
    const same = setup(aVisit());
    await same.assign(TECH);
    expect(same.repos.visits.assign).not.toHaveBeenCalled();
    expect(same.tx.audits).toEqual([]);
    expect(same.tx.events).toEqual([]);
  });
});
