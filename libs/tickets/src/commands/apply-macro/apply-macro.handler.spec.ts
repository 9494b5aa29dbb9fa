import { jest } from '@jest/globals';
import type { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import type { MacroAction, MacroBroken } from '../../domain/macros';
import type { ChecklistsRepository } from '../../repositories/checklists.repository';
import type { GroupsRepository } from '../../repositories/groups.repository';
import type { MacrosRepository } from '../../repositories/macros.repository';
import type { MacroView } from '../../repositories/macros.sql';
import type { MessagesRepository } from '../../repositories/messages.repository';
import type { TicketsRepository } from '../../repositories/tickets.repository';
import { AGENT_ID, aGroup, aTicket, fakeGroups, fakeMessages, fakeTickets, GROUP_ID, NOW, TICKET_ID } from '../../testing/fake-repositories';
import { ApplyMacroCommand } from './apply-macro.command';
import { ApplyMacroHandler } from './apply-macro.handler';
import type { ChannelsRepository } from '../../channels/repositories/channels.repository';

const MACRO_ID = '77777777-7777-4777-8777-777777777777';

function setup(actions: MacroAction[], broken: MacroBroken | null = null) {
  const tx = new FakeTenantTransaction();
  const tickets = fakeTickets(aTicket({ status: 'new', version: 3, tags: ['spam'] }));
  const messages = fakeMessages();
  const groups = fakeGroups([aGroup()], { [GROUP_ID]: [AGENT_ID] });
  const macro: MacroView = { id: MACRO_ID, name: 'Escalate', description: null, active: true, actions, usageCount: 4, lastUsedAt: null, broken, createdAt: NOW, updatedAt: NOW, version: 7 };
  const macros = {
    find: jest.fn<MacrosRepository['find']>(async () => macro),
    resolve: jest.fn<MacrosRepository['resolve']>(async () => ({ broken: [broken], templates: new Map() })),
    countUse: jest.fn<MacrosRepository['countUse']>(async () => 5),
  };
  const checklists = { findTemplate: jest.fn(), insertChecklist: jest.fn() };
  const queries = {
    execute: jest.fn(async (query: unknown) => {
      if (query instanceof GetMemberRoleQuery) return 'agent';
      if (query instanceof GetContactQuery) return { name: 'Pat', emails: ['pat@example.com'] };
      return undefined;
    }),
  };
  const handler = new ApplyMacroHandler(
    tx.asTenantTransaction(),
    queries as unknown as QueryBus,
    tickets as unknown as TicketsRepository,
    messages as unknown as MessagesRepository,
    groups as unknown as GroupsRepository,
    checklists as unknown as ChecklistsRepository,
    macros as unknown as MacrosRepository,
    { chatWindow: async () => undefined } as unknown as ChannelsRepository,
  );
  const apply = (version: number | null = 3) => handler.execute(new ApplyMacroCommand(testContext(), TICKET_ID, MACRO_ID, { name: 'Sam', email: 'sam@acme.example' }, version));
  return { tx, tickets, messages, macros, apply };
}

describe('ApplyMacroHandler', () => {
  it('changes the fields, adds the rendered reply and records the macro’s id and version', async () => {
    const { tx, tickets, messages, macros, apply } = setup([
      { type: 'set_priority', value: 'high' },
      { type: 'remove_tags', tags: ['spam'] },
      { type: 'set_group', value: GROUP_ID },
      { type: 'add_reply', visibility: 'public', body: 'Hi {{ticket.requester.name}}, {{agent.name}} here about #{{ticket.number}}' },
    ]);
    const applied = await apply();
    expect(tickets.update).toHaveBeenCalledWith(expect.anything(), TICKET_ID, { priority: 'high', groupId: GROUP_ID, tags: [] });
    expect(messages.insert).toHaveBeenCalledWith(expect.anything(), TICKET_ID, expect.objectContaining({ body: 'Hi Pat, Sam here about #1001', visibility: 'public', authorType: 'agent' }));
    expect(macros.countUse).toHaveBeenCalledWith(expect.anything(), MACRO_ID);
    expect(applied.macro).toEqual({ id: MACRO_ID, name: 'Escalate', version: 7, usageCount: 5 });
    expect(applied.ticket).toMatchObject({ status: 'open', priority: 'high', groupId: GROUP_ID, tags: [] });
    expect(tickets.recordHistory).toHaveBeenLastCalledWith(expect.anything(), TICKET_ID, 'ticket.macro_applied', {
      macro: { to: { id: MACRO_ID, name: 'Escalate', version: 7, fields: ['priority', 'groupId', 'tags'], messages: [applied.messages[0]!.id], checklists: [] } },
    });
    expect(tx.audits.at(-1)).toMatchObject({ action: 'ticket.macro_applied', entityId: TICKET_ID, after: { macroId: MACRO_ID, macroVersion: 7 } });
    expect(tx.emitted.map((e) => e.type)).toEqual(['tickets.ticket_updated', 'tickets.message_added', 'tickets.ticket_status_changed', 'tickets.macro_applied']);
    expect(tx.emitted.at(-1)!.payload).toEqual({ macroId: MACRO_ID, macroName: 'Escalate', macroVersion: 7, version: applied.ticket.version });
  });

  it('refuses a stale If-Match with 412 before planning anything', async () => {
    const { tx, tickets, macros, apply } = setup([{ type: 'set_priority', value: 'high' }]);
    await expect(apply(2)).rejects.toMatchObject({ problem: { status: 412 } });
    expect(macros.find).not.toHaveBeenCalled();
    expect(tickets.update).not.toHaveBeenCalled();
    expect(tx.emitted).toEqual([]);
  });

  it('refuses a broken macro naming the action, writing nothing', async () => {
    const { tx, tickets, macros, apply } = setup([{ type: 'set_group', value: GROUP_ID }], { actionIndex: 0, actionType: 'set_group', reason: 'names group x, which was deleted or does not exist.' });
    await expect(apply()).rejects.toMatchObject({ problem: { status: 422, type: 'macro-broken', errors: [{ field: 'actions[0]' }] } });
    expect(tickets.update).not.toHaveBeenCalled();
    expect(macros.countUse).not.toHaveBeenCalled();
    expect(tx.emitted).toEqual([]);
  });
});
