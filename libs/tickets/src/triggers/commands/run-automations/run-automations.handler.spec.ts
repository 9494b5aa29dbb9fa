import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TicketsRepository } from '../../../repositories/tickets.repository';
import type { TicketView } from '../../../repositories/tickets.sql';
import { aTicket } from '../../../testing/fake-repositories';
import { readActions, readConditions } from '../../domain/rules';
import type { RulesRepository } from '../../repositories/rules.repository';
import type { RuleView } from '../../repositories/rules.sql';
import type { TriggerEngine } from '../../trigger-engine';
import { RunAutomationsCommand } from './run-automations.command';
import { pinnedStatuses, RunAutomationsHandler } from './run-automations.handler';

const AUTOMATION_ID = '99999999-9999-4999-8999-999999999999';
const DAY = 86_400_000;
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function setup(tickets: TicketView[], options: { cursor?: string | null; alreadyActed?: string[] } = {}) {
  const tx = new FakeTenantTransaction();
  const automation: RuleView = {
    id: AUTOMATION_ID,
    name: 'Close solved after 96 h',
    description: null,
    position: 0,
    active: true,
    conditions: readConditions({ all: [{ type: 'field', field: 'status', op: 'is', value: 'solved' }, { type: 'hours_since', since: 'status_changed', hours: 96 }] }, 'automation'),
    actions: readActions([{ type: 'set_status', value: 'closed' }]),
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    version: 3,
  };
  const since = new Date(Date.now() - 5 * DAY);
  const rules = {
    list: jest.fn<RulesRepository['list']>(async () => [automation]),
    cursor: jest.fn<RulesRepository['cursor']>(async () => options.cursor ?? null),
    setCursor: jest.fn<RulesRepository['setCursor']>(async () => undefined),
    candidates: jest.fn<RulesRepository['candidates']>(async (_tx, _a, after, _s, limit) => tickets.filter((t) => !after || t.id > after).slice(0, limit).map((t) => ({ id: t.id, status_since: since }))),
    recordRun: jest.fn<RulesRepository['recordRun']>(async (_tx, _a, ticketId) => !(options.alreadyActed ?? []).includes(ticketId)),
  };
  const repo = { find: jest.fn<TicketsRepository['find']>(async (_tx, ticketId) => tickets.find((t) => t.id === ticketId)) };
  const engine = {
    contextLoader: jest.fn(() => async () => ({ now: Date.now(), calendar: null, organizationId: null, statusSince: since.getTime() })),
    apply: jest.fn(async (_tx: unknown, _rule: unknown, _actions: unknown, ticket: TicketView) => ({ ticket, change: { created: false, delta: {}, messages: [] }, firing: { error: null } })),
    afterCommand: jest.fn(async () => new Map()),
  };
  const handler = new RunAutomationsHandler(tx.asTenantTransaction(), rules as unknown as RulesRepository, repo as unknown as TicketsRepository, engine as unknown as TriggerEngine);
  return { rules, engine, run: (limit: number) => handler.execute(new RunAutomationsCommand(testContext(), limit)) };
}

describe('RunAutomationsHandler', () => {
  const solved = [1, 2, 3, 4, 5].map((n) => aTicket({ id: id(n), status: 'solved' }));

  it('acts on at most `limit` tickets per run and resumes after the last one it reached', async () => {
    const { rules, engine, run } = setup(solved);
    const first = await run(2);
    expect(first).toEqual({ acted: { [AUTOMATION_ID]: [id(1), id(2)] }, examined: 2, capped: true });
    expect(rules.setCursor).toHaveBeenLastCalledWith(expect.anything(), AUTOMATION_ID, id(2));
    expect(engine.apply).toHaveBeenCalledWith(expect.anything(), { kind: 'automation', id: AUTOMATION_ID, name: 'Close solved after 96 h', version: 3 }, expect.anything(), expect.objectContaining({ id: id(1) }), 0);
    expect(rules.recordRun).toHaveBeenCalledWith(expect.anything(), AUTOMATION_ID, id(1), expect.stringMatching(/^solved@/), 3);
  });

  it('goes back to the start once a run reaches the end', async () => {
    const { rules, run } = setup(solved, { cursor: id(3) });
    expect(await run(10)).toEqual({ acted: { [AUTOMATION_ID]: [id(4), id(5)] }, examined: 2, capped: false });
    expect(rules.setCursor).toHaveBeenLastCalledWith(expect.anything(), AUTOMATION_ID, null);
  });

  it('acts once per ticket and state: a ticket another run recorded first is left alone', async () => {
    const { engine, run } = setup(solved.slice(0, 2), { alreadyActed: [id(1)] });
    expect((await run(10)).acted).toEqual({ [AUTOMATION_ID]: [id(2)] });
    expect(engine.apply).toHaveBeenCalledTimes(1);
  });

  it('skips tickets whose conditions do not hold, and narrows candidates to the pinned status', async () => {
    const { rules, engine, run } = setup([aTicket({ id: id(1), status: 'open' })]);
    expect((await run(10)).acted).toEqual({});
    expect(engine.apply).not.toHaveBeenCalled();
    expect(rules.recordRun).not.toHaveBeenCalled();
    expect(rules.candidates).toHaveBeenCalledWith(expect.anything(), AUTOMATION_ID, null, ['solved'], 10, [{ since: 'status_changed', hours: 96 }], { states: [], untilBreachHours: [] });
    expect(pinnedStatuses(readConditions({ all: [{ type: 'hours_since', since: 'created', hours: 1 }] }, 'automation'))).toBeNull();
  });
});
