import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { MacroBroken } from '../../domain/macros';
import type { MacrosRepository } from '../../repositories/macros.repository';
import type { MacroFields, MacroView } from '../../repositories/macros.sql';
import { AGENT_ID, GROUP_ID, NOW } from '../../testing/fake-repositories';
import { ManageMacroCommand, type MacroChange } from './manage-macro.command';
import { ManageMacroHandler } from './manage-macro.handler';

const MACRO_ID = '77777777-7777-4777-8777-777777777777';
const VIEWER = '99999999-9999-4999-8999-999999999999';

function setup(broken: MacroBroken | null = null, taken = false) {
  const tx = new FakeTenantTransaction();
  let stored: MacroView | undefined;
  const view = (f: MacroFields, version: number): MacroView => ({ ...f, id: MACRO_ID, usageCount: 0, lastUsedAt: null, broken: null, createdAt: NOW, updatedAt: NOW, version });
  const macros = {
    resolve: jest.fn<MacrosRepository['resolve']>(async () => ({ broken: [broken], templates: new Map() })),
    nameTaken: jest.fn<MacrosRepository['nameTaken']>(async () => taken),
    insert: jest.fn<MacrosRepository['insert']>(async (_tx, f) => (stored = view(f, 1))),
    find: jest.fn<MacrosRepository['find']>(async () => stored),
    update: jest.fn<MacrosRepository['update']>(async (_tx, _id, f) => (stored = view(f, stored!.version + 1))),
    softDelete: jest.fn<MacrosRepository['softDelete']>(async () => undefined),
  };
  const queries = { execute: jest.fn(async (q: unknown) => (q instanceof GetMemberRoleQuery ? (q.userId === AGENT_ID ? 'agent' : 'viewer') : undefined)) };
  const handler = new ManageMacroHandler(tx.asTenantTransaction(), queries as unknown as QueryBus, macros as unknown as MacrosRepository);
  const run = (change: MacroChange) => handler.execute(new ManageMacroCommand(testContext(), change));
  return { tx, macros, run };
}

describe('ManageMacroHandler', () => {
  it('saves a checked macro, audits and announces it; a change counts the version up', async () => {
    const { tx, macros, run } = setup();
    const created = await run({ op: 'create', input: { name: 'Escalate', actions: [{ type: 'set_group', value: GROUP_ID }, { type: 'set_assignee', value: AGENT_ID }] } });
    expect(created).toMatchObject({ name: 'Escalate', active: true, description: null, version: 1 });
    const changed = await run({ op: 'update', id: MACRO_ID, input: { active: false }, expectedVersion: 1 });
    expect(changed).toMatchObject({ active: false, version: 2 });
    expect(await run({ op: 'update', id: MACRO_ID, input: { active: false }, expectedVersion: null })).toBe(changed);
    expect(macros.update).toHaveBeenCalledTimes(1);
    expect(tx.audits.map((a) => a.action)).toEqual(['ticket_macro.created', 'ticket_macro.updated']);
    expect(tx.emitted.map((e) => e.payload)).toEqual([
      { action: 'created', name: 'Escalate', version: 1 },
      { action: 'updated', name: 'Escalate', version: 2 },
    ]);
    await run({ op: 'delete', id: MACRO_ID });
    expect(macros.softDelete).toHaveBeenCalled();
  });

  it('refuses a gone reference, an assignee who cannot work tickets and a taken name, saving nothing', async () => {
    const gone = setup({ actionIndex: 0, actionType: 'set_group', reason: 'names group x, which was deleted or does not exist.' });
    await expect(gone.run({ op: 'create', input: { name: 'A', actions: [{ type: 'set_group', value: GROUP_ID }] } })).rejects.toMatchObject({ problem: { status: 422, errors: [{ field: 'actions[0]' }] } });
    const viewer = setup();
    await expect(viewer.run({ op: 'create', input: { name: 'A', actions: [{ type: 'set_priority', value: 'low' }, { type: 'set_assignee', value: VIEWER }] } })).rejects.toMatchObject({
      problem: { status: 422, errors: [{ field: 'actions[1].value' }] },
    });
    const taken = setup(null, true);
    await expect(taken.run({ op: 'create', input: { name: 'A', actions: [{ type: 'set_priority', value: 'low' }] } })).rejects.toMatchObject({ problem: { status: 409 } });
    for (const s of [gone, viewer, taken]) expect(s.macros.insert).not.toHaveBeenCalled();
  });

  it('refuses a stale version and an unknown macro', async () => {
    const { run } = setup();
    await expect(run({ op: 'delete', id: MACRO_ID })).rejects.toMatchObject({ problem: { status: 404 } });
    await run({ op: 'create', input: { name: 'A', actions: [{ type: 'set_priority', value: 'low' }] } });
    await expect(run({ op: 'update', id: MACRO_ID, input: { name: 'B' }, expectedVersion: 7 })).rejects.toMatchObject({ problem: { status: 412 } });
  });
});
