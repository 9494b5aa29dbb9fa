import { jest } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AttributeSuggestion } from '../../domain/close-out';
import { doubleBooked } from '../../domain/problems';
import type { CloseOutsRepository } from '../../repositories/close-outs.repository';
import type { CloseOutView } from '../../repositories/close-outs.sql';
import { aJob, aVisit, fakeQueries, fakeRepositories, NOW, TECH } from '../../testing/fakes';
import { FinalizeCloseOutCommand, type FinalizeCloseOutInput } from './finalize-close-out.command';
import { FinalizeCloseOutHandler } from './finalize-close-out.handler';

const SUGGESTIONS: AttributeSuggestion[] = [
  { key: 'pets', value: 'a dog', confidence: 0.9 },
  { key: 'gate_code', value: '4512', confidence: 0.8 },
];

function setup(opts: { draft?: Partial<CloseOutView> | null; failSchedule?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(aJob({ status: 'in_progress' }), [aVisit({ status: 'completed' })]);
  const draft = opts.draft === null ? undefined : ({ jobId: 'j1', status: 'awaiting_confirmation', durationMinutes: 75, suggestions: SUGGESTIONS, ...opts.draft } as CloseOutView);
  const closeOuts = {
    find: jest.fn(async () => draft),
    finalize: jest.fn(async () => ({ ...draft!, status: 'finalized', finalizedAt: NOW.toISOString() })),
    insertFollowUp: jest.fn(async () => ({ id: 'f1', dueOn: '2027-06-01' })),
  };
  const sent: string[] = [];
  const commands = {
    execute: jest.fn(async (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      if (command.constructor.name === 'CreateJobCommand') return { id: 'j2' };
      if (command.constructor.name === 'ScheduleVisitCommand') {
        if (opts.failSchedule) throw doubleBooked(TECH, 'v9');
        return aVisit({ id: 'v2', jobId: 'j2', scheduledStart: '2026-12-20T09:00:00.000Z' });
      }
      return {};
    }),
  };
  const handler = new FinalizeCloseOutHandler(tx.asTenantTransaction(), commands as unknown as CommandBus, fakeQueries().bus, repos.as.jobs, repos.as.visits, closeOuts as unknown as CloseOutsRepository);
  const run = (input: FinalizeCloseOutInput) => handler.execute(new FinalizeCloseOutCommand(testContext(), 'j1', input, NOW));
  return { tx, repos, closeOuts, commands, sent, run };
}

describe('FinalizeCloseOutHandler', () => {
  it('completes the job, books the next visit on a follow-up job for the last technician and emits job_closed_out', async () => {
    const { tx, closeOuts, commands, sent, run } = setup();
    await run({ attributes: [{ key: 'pets', action: 'confirm' }], nextAction: { kind: 'schedule_visit', start: '2026-12-20T09:00:00.000Z', durationMinutes: 60 } });
    expect(sent).toEqual(['CloseJobCommand', 'CreateJobCommand', 'ScheduleVisitCommand']);
    expect(commands.execute.mock.calls[2]![0]).toMatchObject({ jobId: 'j2', input: { scheduledStart: '2026-12-20T09:00:00.000Z', durationMinutes: 60, technicianId: TECH } });
    const next = { kind: 'schedule_visit', jobId: 'j2', visitId: 'v2', start: '2026-12-20T09:00:00.000Z', durationMinutes: 60, technicianId: TECH };
    expect(closeOuts.finalize).toHaveBeenCalledWith(expect.anything(), 'j1', { confirmed: [{ key: 'pets', value: 'a dog', action: 'confirm', aiValue: 'a dog', aiConfidence: 0.9 }], dropped: ['gate_code'] }, next);
    expect(tx.emitted).toEqual([
      {
        type: 'field_service.job_closed_out',
        aggregateId: 'j1',
        payload: {
          contactId: 'c1',
          durationMinutes: 75,
          attributes: [{ key: 'pets', value: 'a dog', action: 'confirm', aiValue: 'a dog', aiConfidence: 0.9 }],
          dropped: ['gate_code'],
          nextAction: next,
          confirmedBy: testContext().actorId,
          confirmedAt: NOW.toISOString(),
        },
      },
    ]);
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.job_closed_out']);
  });

  it('records a reach-out follow-up due in the chosen months', async () => {
    const { closeOuts, sent, run } = setup();
    await run({ attributes: [], nextAction: { kind: 'reach_out', inMonths: 6 } });
    expect(closeOuts.insertFollowUp).toHaveBeenCalledWith(expect.anything(), 'j1', 'c1', '2027-06-01');
    expect(sent).toEqual(['CloseJobCommand']);
  });

  it('fails as a whole when the next visit is double-booked: nothing finalized, nothing emitted', async () => {
    const { tx, closeOuts, run } = setup({ failSchedule: true });
    await expect(run({ attributes: [{ key: 'pets', action: 'confirm' }], nextAction: { kind: 'schedule_visit', start: '2026-12-20T09:00:00.000Z', durationMinutes: 60 } })).rejects.toMatchObject({
      problem: { status: 409, type: 'double-booking' },
    });
    expect(closeOuts.finalize).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
    expect(tx.audits).toEqual([]);
  });

  it('refuses a second finalize, a job with no draft and an unknown key, writing nothing', async () => {
    const twice = setup({ draft: { status: 'finalized' } });
    await expect(twice.run({ attributes: [], nextAction: { kind: 'none' } })).rejects.toMatchObject({ problem: { status: 409, type: 'close-out-finalized' } });
    const none = setup({ draft: null });
    await expect(none.run({ attributes: [], nextAction: { kind: 'none' } })).rejects.toMatchObject({ problem: { status: 409, type: 'close-out-not-started' } });
    const unknown = setup();
    await expect(unknown.run({ attributes: [{ key: 'shoe_size', action: 'edit', value: '44' }], nextAction: { kind: 'none' } })).rejects.toMatchObject({ problem: { status: 422, type: 'unknown-attribute' } });
    for (const s of [twice, none, unknown]) {
      expect(s.commands.execute).not.toHaveBeenCalled();
      expect(s.closeOuts.finalize).not.toHaveBeenCalled();
      expect(s.tx.events).toEqual([]);
    }
  });
});
