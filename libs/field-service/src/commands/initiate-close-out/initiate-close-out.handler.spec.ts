import { jest } from '@jest/globals';
import type { AiGateway, GatewayResult, PromptTemplates } from '@switchboard/ai-gateway';
import { ProblemException } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { CloseOutView, NewCloseOut } from '../../repositories/close-outs.sql';
import type { CloseOutsRepository } from '../../repositories/close-outs.repository';
import { aJob, aVisit, fakeQueries, fakeRepositories, TECH } from '../../testing/fakes';
import { InitiateCloseOutCommand } from './initiate-close-out.command';
import { InitiateCloseOutHandler } from './initiate-close-out.handler';

const result = (text: string): GatewayResult => ({
  text,
  model: 'gpt-test',
  usage: { promptTokens: 10, completionTokens: 5 },
  finishReason: 'stop',
  extractive: false,
  provider: 'oa',
  warning: null,
  attempts: 1,
  usageId: 'u1',
});

function setup(answers: (string | Error)[], opts: { existing?: Partial<CloseOutView>; actorId?: string; job?: ReturnType<typeof aJob> } = {}) {
  const tx = new FakeTenantTransaction();
  const repos = fakeRepositories(opts.job ?? aJob({ status: 'in_progress' }), [aVisit({ status: 'completed' })]);
  const insideTransaction: boolean[] = [];
  let turn = 0;
  const gateway = {
    structured: jest.fn(async () => {
      insideTransaction.push(tx.current() !== undefined);
      const next = answers[Math.min(turn++, answers.length - 1)]!;
      if (next instanceof Error) throw next;
      return result(next);
    }),
  };
  const templates = { render: jest.fn(async () => ({ messages: [{ role: 'user', content: 'notes' }], template: { feature: 'x', version: 1, source: 'default' } })) };
  const closeOuts = {
    find: jest.fn(async () => (opts.existing ? ({ status: 'awaiting_confirmation', ...opts.existing } as CloseOutView) : undefined)),
    saveDraft: jest.fn(async (_tx: unknown, jobId: string, d: NewCloseOut) =>
      opts.existing?.status === 'finalized' ? undefined : ({ jobId, status: 'awaiting_confirmation', notes: d.notes, durationMinutes: d.durationMinutes, suggestions: d.suggestions, extraction: d.extraction } as CloseOutView),
    ),
  };
  const handler = new InitiateCloseOutHandler(
    tx.asTenantTransaction(),
    fakeQueries({ [TECH]: 'technician', '44444444-4444-4444-8444-444444444444': 'technician' }).bus,
    gateway as unknown as AiGateway,
    templates as unknown as PromptTemplates,
    repos.as.jobs,
    repos.as.visits,
    closeOuts as unknown as CloseOutsRepository,
  );
  const run = (input = { durationMinutes: 75, notes: 'Dog in the yard, gate code 4512.' }) => handler.execute(new InitiateCloseOutCommand(testContext(opts.actorId ? { actorId: opts.actorId } : {}), 'j1', input));
  return { tx, repos, gateway, closeOuts, insideTransaction, run };
}

describe('InitiateCloseOutHandler', () => {
  it('stores a draft with the model’s suggestions, calling the model outside any transaction', async () => {
    const { tx, repos, closeOuts, insideTransaction, run } = setup([JSON.stringify({ pets: { value: 'a dog', confidence: 0.87 }, gate_code: { value: '4512', confidence: 0.9 } })]);
    const draft = await run();
    expect(draft).toMatchObject({
      status: 'awaiting_confirmation',
      durationMinutes: 75,
      suggestions: [
        { key: 'pets', value: 'a dog', confidence: 0.87 },
        { key: 'gate_code', value: '4512', confidence: 0.9 },
      ],
      extraction: { status: 'ok', detail: null, provider: 'oa', model: 'gpt-test' },
    });
    expect(insideTransaction).toEqual([false]);
    expect(closeOuts.saveDraft).toHaveBeenCalledTimes(1);
    expect(repos.jobs.setStatus).not.toHaveBeenCalled();
    expect(repos.jobs.recordHistory).toHaveBeenCalledWith(expect.anything(), 'j1', null, 'job.close_out_started', expect.objectContaining({ extraction: { to: 'ok' } }));
    expect(tx.audits.map((a) => a.action)).toEqual(['field_service.close_out_initiated']);
    expect(tx.emitted).toEqual([]);
  });

  it('flags an answer out of schema twice as invalid, with no suggestions', async () => {
    const { gateway, run } = setup(['not json', '{"pets": "dog"}']);
    const draft = await run();
    expect(gateway.structured).toHaveBeenCalledTimes(2);
    expect(draft).toMatchObject({ suggestions: [], extraction: { status: 'invalid', provider: 'oa', model: 'gpt-test' } });
    expect(draft.extraction.detail).toMatch(/fields: pets/);
  });

  it('flags a provider that is down or over budget as unavailable, and still stores the draft', async () => {
    const budget = new ProblemException({ status: 402, type: 'ai-budget-exceeded', title: 'Payment Required', detail: 'The monthly AI budget is spent.' });
    const { closeOuts, run } = setup([budget]);
    const draft = await run();
    expect(draft).toMatchObject({ suggestions: [], extraction: { status: 'unavailable', provider: null, model: null } });
    expect(draft.extraction.detail).toMatch(/budget is spent.*by hand/);
    expect(closeOuts.saveDraft).toHaveBeenCalledTimes(1);
  });

  it('refuses a job already closed out, a closed job and a technician not on the job, before calling the model', async () => {
    const finalized = setup(['{}'], { existing: { status: 'finalized' } });
    await expect(finalized.run()).rejects.toMatchObject({ problem: { status: 409, type: 'close-out-finalized' } });
    const closed = setup(['{}'], { job: aJob({ status: 'cancelled' }) });
    await expect(closed.run()).rejects.toMatchObject({ problem: { status: 409, type: 'job-closed' } });
    const stranger = setup(['{}'], { actorId: '44444444-4444-4444-8444-444444444444' });
    await expect(stranger.run()).rejects.toMatchObject({ problem: { status: 403, type: 'not-assigned' } });
    for (const s of [finalized, closed, stranger]) {
      expect(s.gateway.structured).not.toHaveBeenCalled();
      expect(s.closeOuts.saveDraft).not.toHaveBeenCalled();
    }
  });

  it('refuses blank or oversized notes and an impossible duration (422)', async () => {
    const { run, gateway } = setup(['{}']);
    await expect(run({ durationMinutes: 30, notes: '   ' })).rejects.toMatchObject({ problem: { status: 422 } });
    await expect(run({ durationMinutes: 0, notes: 'x' })).rejects.toMatchObject({ problem: { status: 422 } });
    expect(gateway.structured).not.toHaveBeenCalled();
  });
});
