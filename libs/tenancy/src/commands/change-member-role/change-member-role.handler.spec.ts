import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { Role } from '../../domain/roles';
import type { MembersRepository } from '../../repositories/members.repository';
import type { MemberView } from '../../repositories/members.sql';
import { ChangeMemberRoleCommand } from './change-member-role.command';
import { ChangeMemberRoleHandler } from './change-member-role.handler';

const context = testContext();
const member = (role: Role): MemberView => ({ id: 'm1', userId: 'u1', email: 'cy@example.com', name: 'Cy', role, createdAt: '2026-12-01T00:00:00.000Z' });

function setup(found: MemberView | undefined, owners = 2) {
  const tx = new FakeTenantTransaction();
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const members = {
    findForUpdate: jest.fn<MembersRepository['findForUpdate']>().mockResolvedValue(found),
    countOwners: jest.fn<MembersRepository['countOwners']>().mockResolvedValue(owners),
    changeRole: jest.fn<MembersRepository['changeRole']>().mockResolvedValue(undefined),
  };
  const handler = new ChangeMemberRoleHandler(tx.asTenantTransaction(), access as unknown as AccessCache, members as unknown as MembersRepository);
  return { tx, access, members, handler };
}

describe('ChangeMemberRoleHandler', () => {
  it('changes the role, audits before and after, emits member_role_changed and drops cached credentials', async () => {
    const { tx, access, members, handler } = setup(member('viewer'));
    expect(await handler.execute(new ChangeMemberRoleCommand(context, 'admin', 'm1', 'agent'))).toMatchObject({ id: 'm1', role: 'agent' });
    expect(members.changeRole).toHaveBeenCalledWith(expect.anything(), 'm1', 'agent');
    expect(tx.audits).toEqual([{ action: 'member.role_changed', entityType: 'membership', entityId: 'm1', before: { role: 'viewer' }, after: { role: 'agent' } }]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.member_role_changed', aggregateId: 'm1', payload: { userId: 'u1', role: 'agent' } }]);
    expect(access.changed).toHaveBeenCalledWith(context.tenantId);
  });

  it('does nothing when the member already has the role', async () => {
    const { tx, members, handler } = setup(member('agent'));
    await handler.execute(new ChangeMemberRoleCommand(context, 'admin', 'm1', 'agent'));
    expect(members.changeRole).not.toHaveBeenCalled();
    expect(tx.events).toEqual([]);
  });

  it('lets an owner demote an owner while another owner remains', async () => {
    const { members, handler } = setup(member('owner'), 2);
    await handler.execute(new ChangeMemberRoleCommand(context, 'owner', 'm1', 'admin'));
    expect(members.changeRole).toHaveBeenCalledWith(expect.anything(), 'm1', 'admin');
  });

  const refusals: [string, { actorRole: string | undefined; from: Role; to: Role; owners?: number }, { status: number; type: string }][] = [
    ['an admin making an owner (escalation)', { actorRole: 'admin', from: 'agent', to: 'owner' }, { status: 403, type: 'forbidden' }],
    ['an agent granting any role', { actorRole: 'agent', from: 'viewer', to: 'technician' }, { status: 403, type: 'forbidden' }],
    ['a credential without a role', { actorRole: undefined, from: 'viewer', to: 'agent' }, { status: 403, type: 'forbidden' }],
    ['an admin demoting an owner', { actorRole: 'admin', from: 'owner', to: 'agent' }, { status: 403, type: 'forbidden' }],
    ['demoting the last owner', { actorRole: 'owner', from: 'owner', to: 'admin', owners: 1 }, { status: 409, type: 'last-owner' }],
  ];
  it.each(refusals)('refuses %s and changes nothing', async (_name, { actorRole, from, to, owners }, problem) => {
    const { tx, access, members, handler } = setup(member(from), owners);
    await expect(handler.execute(new ChangeMemberRoleCommand(context, actorRole, 'm1', to))).rejects.toMatchObject({ problem });
    expect(members.changeRole).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
    expect(access.changed).not.toHaveBeenCalled();
  });

  it('answers 404 for an unknown membership', async () => {
    const { handler } = setup(undefined);
    await expect(handler.execute(new ChangeMemberRoleCommand(context, 'owner', 'm9', 'agent'))).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
