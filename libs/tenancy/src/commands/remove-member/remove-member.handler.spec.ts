import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { Role } from '../../domain/roles';
import type { MembersRepository } from '../../repositories/members.repository';
import type { MemberView } from '../../repositories/members.sql';
import type { RefreshTokensRepository } from '../../repositories/refresh-tokens.repository';
import { RemoveMemberCommand } from './remove-member.command';
import { RemoveMemberHandler } from './remove-member.handler';

const context = testContext();
const member = (role: Role): MemberView => ({ id: 'm1', userId: 'u1', email: 'cy@example.com', name: 'Cy', role, createdAt: '2026-12-01T00:00:00.000Z' });

function setup(found: MemberView | undefined, owners = 2) {
  const tx = new FakeTenantTransaction();
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const members = {
    findForUpdate: jest.fn<MembersRepository['findForUpdate']>().mockResolvedValue(found),
    countOwners: jest.fn<MembersRepository['countOwners']>().mockResolvedValue(owners),
    remove: jest.fn<MembersRepository['remove']>().mockResolvedValue(undefined),
  };
  const refreshTokens = { revokeAllOfUser: jest.fn<RefreshTokensRepository['revokeAllOfUser']>().mockResolvedValue(undefined) };
  const handler = new RemoveMemberHandler(tx.asTenantTransaction(), access as unknown as AccessCache, members as unknown as MembersRepository, refreshTokens as unknown as RefreshTokensRepository);
  return { tx, access, members, refreshTokens, handler };
}

describe('RemoveMemberHandler', () => {
  it('removes the membership, ends its sessions, audits and emits member_removed, then drops cached credentials', async () => {
    const { tx, access, members, refreshTokens, handler } = setup(member('agent'));
    await handler.execute(new RemoveMemberCommand(context, 'admin', 'm1'));
    expect(members.remove).toHaveBeenCalledWith(expect.anything(), 'm1');
    expect(refreshTokens.revokeAllOfUser).toHaveBeenCalledWith(expect.anything(), 'u1');
    expect(tx.audits).toEqual([{ action: 'member.removed', entityType: 'membership', entityId: 'm1', before: { userId: 'u1', email: 'cy@example.com', role: 'agent' } }]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.member_removed', aggregateId: 'm1', payload: { userId: 'u1' } }]);
    expect(access.changed).toHaveBeenCalledWith(context.tenantId);
  });

  it('lets an owner remove an owner while another owner remains', async () => {
    const { members, handler } = setup(member('owner'), 2);
    await handler.execute(new RemoveMemberCommand(context, 'owner', 'm1'));
    expect(members.remove).toHaveBeenCalled();
  });

  const refusals: [string, { actorRole: string; role: Role; owners?: number }, { status: number; type: string }][] = [
    ['an admin removing an owner', { actorRole: 'admin', role: 'owner' }, { status: 403, type: 'forbidden' }],
    ['removing the last owner', { actorRole: 'owner', role: 'owner', owners: 1 }, { status: 409, type: 'last-owner' }],
  ];
  it.each(refusals)('refuses %s and changes nothing', async (_name, { actorRole, role, owners }, problem) => {
    const { tx, access, members, refreshTokens, handler } = setup(member(role), owners);
    await expect(handler.execute(new RemoveMemberCommand(context, actorRole, 'm1'))).rejects.toMatchObject({ problem });
    expect(members.remove).not.toHaveBeenCalled();
    expect(refreshTokens.revokeAllOfUser).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
    expect(access.changed).not.toHaveBeenCalled();
  });

  it('answers 404 for an unknown membership', async () => {
    const { members, handler } = setup(undefined);
    await expect(handler.execute(new RemoveMemberCommand(context, 'owner', 'm9'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(members.remove).not.toHaveBeenCalled();
  });
});
