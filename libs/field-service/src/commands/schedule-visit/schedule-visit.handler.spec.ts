import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { aJob, aVisit, fakeQueries, fakeRepositories, NOW, TECH } from '../../testing/fakes';
import { weeklyHours } from '../../domain/availability';
import type { UnavailabilityView, WorkingHoursView } from '../../repositories/availability.sql';
import { ScheduleVisitCommand } from './schedule-visit.command';
import { ScheduleVisitHandler } from './schedule-visit.handler';

function setup(job = aJob(), opts: { conflicting?: string | null; roles?: Record<string, string>; hours?: WorkingHoursView; block?: UnavailabilityView } = {}) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(job, [], opts);
  const queries = fakeQueries(opts.roles);
  const handler = new ScheduleVisitHandler(tx.asTenantTransaction(), queries.bus, repos.as.jobs, repos.as.visits);
  const schedule = (input: object) => handler.execute(new ScheduleVisitCommand(testContext(), 'j1', { scheduledStart: '2026-12-01T09:00:00Z', durationMinutes: 90, ...input }, NOW));
  return { tx, repos, schedule };
}

describe('ScheduleVisitHandler', () => {
  it('books a free technician, with history, audit and visit_scheduled', async () => {
    const { tx, repos, schedule } = setup();
    const visit = await schedule({ technicianId: TECH });
    expect(repos.visits.conflicting).toHaveBeenCalledWith(expect.anything(), TECH, expect.objectContaining({ start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:30:00Z') }), null);
    expect(tx.emitted).toEqual([
      { type: 'field_service.visit_scheduled', aggregateId: 'j1', payload: { visitId: visit.id, technicianId: TECH, scheduledStart: '2026-12-01T09:00:00.000Z', scheduledEnd: '2026-12-01T10:30:00.000Z', version: 1 } },
    ]);
    expect(tx.audits).toEqual([expect.objectContaining({ action: 'field_service.visit_scheduled', entityId: visit.id })]);
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', visit.id, 'visit.scheduled', expect.objectContaining({ technicianId: { to: TECH } }));
  });

  it('refuses a technician already booked then (409 naming the visit) and writes nothing', async () => {
    const { tx, repos, schedule } = setup(aJob(), { conflicting: 'v-other' });
    await expect(schedule({ technicianId: TECH })).rejects.toMatchObject({ problem: { status: 409, type: 'double-booking', extensions: { conflictingVisitId: 'v-other' } } });
    expect(repos.visits.insert).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('refuses a non-technician, a past start and a closed job', async () => {
    const agent = '44444444-4444-4444-8444-444444444444';
    await expect(setup(aJob(), { roles: { [agent]: 'agent' } }).schedule({ technicianId: agent })).rejects.toMatchObject({ problem: { status: 422, detail: expect.stringMatching(/not a technician/) } });
    await expect(setup().schedule({ scheduledStart: '2026-11-30T09:00:00Z' })).rejects.toMatchObject({ problem: { status: 422 } });
    const closed = setup(aJob({ status: 'completed' }));
    await expect(closed.schedule({})).rejects.toMatchObject({ problem: { status: 409, extensions: { currentStatus: 'completed' } } });
    expect(closed.repos.visits.insert).not.toHaveBeenCalled();
  });

  it('answers 404 for a job it cannot see', async () => {
    const { repos, schedule } = setup(undefined as never);
    repos.jobs.findForUpdate.mockResolvedValue(undefined as never);
    await expect(schedule({})).rejects.toMatchObject({ problem: { status: 404 } });
  });

  it('books an unassigned visit without checking anyone’s calendar', async () => {
    const { repos, schedule } = setup();
    expect(await schedule({})).toMatchObject({ technicianId: null });
    expect(repos.visits.conflicting).not.toHaveBeenCalled();
    expect(aVisit().status).toBe('scheduled');
  });

  it('refuses a booking outside the technician’s working hours or inside an unavailability (409 naming the rule)', async () => {
    const hours: WorkingHoursView = { technicianId: TECH, timeZone: 'UTC', weekly: weeklyHours({ tue: [{ start: '10:00', end: '18:00' }] }), updatedAt: '', version: 1 };
    const early = setup(aJob(), { hours });
    await expect(early.schedule({ technicianId: TECH })).rejects.toMatchObject({ problem: { status: 409, type: 'outside-working-hours', extensions: { rule: 'working-hours', weekday: 'tue' } } });
    expect(early.repos.visits.insert).not.toHaveBeenCalled();
    expect(await setup(aJob(), { hours }).schedule({ technicianId: TECH, scheduledStart: '2026-12-01T10:00:00Z' })).toMatchObject({ technicianId: TECH });

    const block: UnavailabilityView = { id: 'u1', technicianId: TECH, start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z', reason: 'Sick', createdAt: '' };
    const sick = setup(aJob(), { block });
    await expect(sick.schedule({ technicianId: TECH })).rejects.toMatchObject({ problem: { status: 409, type: 'technician-unavailable', extensions: { rule: 'unavailability', unavailabilityId: 'u1', reason: 'Sick' } } });
    expect(sick.repos.visits.insert).not.toHaveBeenCalled();
  });
});
