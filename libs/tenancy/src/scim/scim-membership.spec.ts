import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { MembersRepository } from '../repositories/members.repository';
import type { RefreshTokensRepository } from '../repositories/refresh-tokens.repository';
import { ScimMembership } from './scim-membership';
import type { ScimRepository } from './scim.repository';

function setup(membership: { id: string; role: string } | undefined, owners = 2, keys: string[] = ['k1']) {
  const tx = new FakeTenantTransaction();
  const scim = {
    membershipOf: jest.fn<ScimRepository['membershipOf']>().mockResolvedValue(membership),
    revokeApiKeysCreatedBy: jest.fn<ScimRepository['revokeApiKeysCreatedBy']>().mockResolvedValue(keys),
    provisioningRole: jest.fn<ScimRepository['provisioningRole']>().mockResolvedValue('agent'),
  };
  const members = {
    countOwners: jest.fn<MembersRepository['countOwners']>().mockResolvedValue(owners),
    remove: jest.fn<MembersRepository['remove']>().mockResolvedValue(undefined),
    addIfAbsent: jest.fn<MembersRepository['addIfAbsent']>().mockResolvedValue('m-new'),
  };
  const refreshTokens = { revokeAllOfUser: jest.fn<RefreshTokensRepository['revokeAllOfUser']>().mockResolvedValue(undefined) };
  const membershipService = new ScimMembership(scim as unknown as ScimRepository, members as unknown as MembersRepository, refreshTokens as unknown as RefreshTokensRepository);
  return { tx, scim, members, refreshTokens, membershipService };
}

describe('ScimMembership', () => {
  it('deactivation removes the membership, revokes refresh tokens and the person’s API keys, audits and emits', async () => {
    const { tx, members, refreshTokens, membershipService } = setup({ id: 'm1', role: 'admin' });
    const changed = await tx.run(testContext(), (t) => membershipService.deactivate(t, 'u1', 'ada@example.com'));
    expect(changed).toBe(true);
    expect(members.remove).toHaveBeenCalledWith(expect.anything(), 'm1');
    expect(refreshTokens.revokeAllOfUser).toHaveBeenCalledWith(expect.anything(), 'u1');
    expect(tx.audits.map((a) => a.action)).toEqual(['api_key.revoked', 'member.removed']);
    expect(tx.emitted).toEqual([{ type: 'tenancy.member_removed', aggregateId: 'm1', payload: { userId: 'u1' } }]);
  });

  it('refuses to deactivate the last owner, changing nothing', async () => {
    const { tx, members, membershipService } = setup({ id: 'm1', role: 'owner' }, 1);
    await expect(tx.run(testContext(), (t) => membershipService.deactivate(t, 'u1', 'o@example.com'))).rejects.toMatchObject({ status: 400, scimType: 'mutability' });
    expect(members.remove).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('deactivating someone who is no longer a member still revokes what they hold', async () => {
    const { tx, refreshTokens, membershipService } = setup(undefined, 2, []);
    expect(await tx.run(testContext(), (t) => membershipService.deactivate(t, 'u1', 'x@example.com'))).toBe(false);
    expect(refreshTokens.revokeAllOfUser).toHaveBeenCalled();
    expect(tx.emitted).toEqual([]);
  });

  it('activation adds a membership with the provisioning role, or nothing for an existing member', async () => {
    const { tx, members, membershipService } = setup(undefined);
    expect(await tx.run(testContext(), (t) => membershipService.activate(t, 'u1', 'ada@example.com'))).toBe(true);
    expect(members.addIfAbsent).toHaveBeenCalledWith(expect.anything(), 'u1', 'agent');
    expect(tx.emitted).toEqual([{ type: 'tenancy.member_added', aggregateId: 'm-new', payload: { userId: 'u1', role: 'agent' } }]);
    members.addIfAbsent.mockResolvedValue(undefined);
    expect(await tx.run(testContext(), (t) => membershipService.activate(t, 'u1', 'ada@example.com'))).toBe(false);
  });
});
