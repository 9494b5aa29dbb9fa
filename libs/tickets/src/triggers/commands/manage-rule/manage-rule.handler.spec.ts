import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { MacrosRepository } from '../../../repositories/macros.repository';
import { GROUP_ID, NOW } from '../../../testing/fake-repositories';
import type { RulesRepository } from '../../repositories/rules.repository';
import type { RuleFields, RuleView } from '../../repositories/rules.sql';
import { ManageRuleCommand } from './manage-rule.command';
import { ManageRuleHandler } from './manage-rule.handler';

const RULE_ID = '77777777-7777-4777-8777-777777777777';
const input = { name: 'Escalate', conditions: { all: [{ type: 'changed', field: 'priority', to: 'urgent' }] }, actions: [{ type: 'add_tags', tags: ['escalated'] }, { type: 'set_group', value: GROUP_ID }] };

function setup(options: { existing?: RuleView; taken?: boolean; brokenAt?: number } = {}) {
  const tx = new FakeTenantTransaction();
  const view = (f: RuleFields, version = 1): RuleView => ({ ...f, id: RULE_ID, createdAt: NOW, updatedAt: NOW, version });
  const rules = {
    list: jest.fn<RulesRepository['list']>(async () => []),
    nameTaken: jest.fn<RulesRepository['nameTaken']>(async () => options.taken ?? false),
    insert: jest.fn<RulesRepository['insert']>(async (_tx, _t, f) => view(f)),
    update: jest.fn<RulesRepository['update']>(async (_tx, _t, _id, f) => view(f, options.existing!.version + 1)),
    find: jest.fn<RulesRepository['find']>(async () => options.existing),
    softDelete: jest.fn<RulesRepository['softDelete']>(async () => undefined),
  };
  const macros = {
    resolve: jest.fn<MacrosRepository['resolve']>(async () => ({
      broken: [options.brokenAt === undefined ? null : { actionIndex: options.brokenAt, actionType: 'set_group', reason: 'names a group that does not exist.' }],
      templates: new Map(),
    })),
  };
  const handler = new ManageRuleHandler(tx.asTenantTransaction(), { execute: jest.fn() } as unknown as QueryBus, rules as unknown as RulesRepository, macros as unknown as MacrosRepository);
  return { tx, rules, macros, execute: (change: ManageRuleCommand['change'], kind: 'trigger' | 'automation' = 'trigger') => handler.execute(new ManageRuleCommand(testContext(), kind, change)) };
}

describe('ManageRuleHandler', () => {
  it('saves a trigger whose conditions and actions are valid, audited and announced', async () => {
    const { tx, rules, execute } = setup();
    const saved = await execute({ op: 'create', input });
    expect(rules.insert).toHaveBeenCalledWith(expect.anything(), 'ticket_triggers', expect.objectContaining({ name: 'Escalate', position: 0, active: true }));
    expect(saved).toMatchObject({ id: RULE_ID, version: 1, conditions: { all: [{ type: 'changed', field: 'priority', to: 'urgent' }], any: [] } });
    expect(tx.audits.map((a) => a.action)).toEqual(['ticket_trigger.created']);
    expect(tx.emitted).toEqual([{ type: 'tickets.rule_changed', aggregateId: RULE_ID, payload: { kind: 'trigger', op: 'created', name: 'Escalate', version: 1 } }]);
  });

  it('refuses bad conditions before any database work, and a dead reference naming the action', async () => {
    const { rules, macros, execute } = setup({ brokenAt: 1 });
    await expect(execute({ op: 'create', input: { ...input, conditions: { all: [{ type: 'hours_since', since: 'created', hours: 5 }] } } })).rejects.toMatchObject({ problem: { status: 422 } });
    expect(macros.resolve).not.toHaveBeenCalled();
    await expect(execute({ op: 'create', input })).rejects.toMatchObject({ problem: { status: 422, type: 'invalid-reference', errors: [{ field: 'actions[1]' }] } });
    expect(rules.insert).not.toHaveBeenCalled();
  });

  it('answers 409 for a name in use, 404 for a missing rule, 412 for a stale version', async () => {
    await expect(setup({ taken: true }).execute({ op: 'create', input })).rejects.toMatchObject({ problem: { status: 409 } });
    await expect(setup().execute({ op: 'delete', id: RULE_ID }, 'automation')).rejects.toMatchObject({ problem: { status: 404 } });
    const existing: RuleView = { id: RULE_ID, name: 'Escalate', description: null, position: 0, active: true, conditions: { all: [], any: [] }, actions: [], createdAt: NOW, updatedAt: NOW, version: 4 };
    await expect(setup({ existing }).execute({ op: 'update', id: RULE_ID, input: { active: false }, expectedVersion: 3 })).rejects.toMatchObject({ problem: { status: 412 } });
    const { rules, execute } = setup({ existing });
    expect(await execute({ op: 'update', id: RULE_ID, input: { active: false }, expectedVersion: 4 })).toMatchObject({ active: false, version: 5 });
    expect(rules.update).toHaveBeenCalledTimes(1);
  });
});
