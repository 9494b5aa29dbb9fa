import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { PasswordHasher } from '../../auth/password-hasher';
import type { MembersRepository } from '../../repositories/members.repository';
import type { UsersRepository } from '../../repositories/users.repository';
import { AddMemberCommand } from './add-member.command';
import { AddMemberHandler } from './add-member.handler';

const context = testContext({ actorType: 'platform_admin' });

function setup(options: { alreadyMember?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const passwords = { hash: jest.fn<PasswordHasher['hash']>(async (p) => `hashed:${p}`) };
  const users = { upsert: jest.fn<UsersRepository['upsert']>().mockResolvedValue('user-7') };
  const members = {
    add: options.alreadyMember
      ? jest.fn<MembersRepository['add']>().mockRejectedValue(new Error('duplicate key value violates unique constraint "memberships_user"'))
      : jest.fn<MembersRepository['add']>().mockResolvedValue(undefined),
  };
  const handler = new AddMemberHandler(tx.asTenantTransaction(), passwords as unknown as PasswordHasher, users as unknown as UsersRepository, members as unknown as MembersRepository);
  return { tx, users, members, handler };
}

describe('AddMemberHandler', () => {
  it('finds or creates the user by normalised email, adds the membership, audits it and emits member_added', async () => {
    const { tx, users, members, handler } = setup();
    const result = await handler.execute(new AddMemberCommand(context, { email: ' Bo@Example.com', name: 'Bo', password: 'long enough password', role: 'agent' }));
    expect(users.upsert).toHaveBeenCalledWith(expect.anything(), { email: 'bo@example.com', name: 'Bo', passwordHash: 'hashed:long enough password' });
    expect(members.add).toHaveBeenCalledWith(expect.anything(), result.membershipId, 'user-7', 'agent');
    expect(result.userId).toBe('user-7');
    expect(tx.audits).toEqual([{ action: 'member.added', entityType: 'membership', entityId: result.membershipId, after: { userId: 'user-7', email: 'bo@example.com', role: 'agent' } }]);
    expect(tx.emitted).toEqual([{ type: 'tenancy.member_added', aggregateId: result.membershipId, payload: { userId: 'user-7', role: 'agent' } }]);
  });

  it('records nothing when the membership cannot be added', async () => {
    const { tx, handler } = setup({ alreadyMember: true });
    await expect(handler.execute(new AddMemberCommand(context, { email: 'bo@example.com', name: 'Bo', password: 'long enough password', role: 'agent' }))).rejects.toThrow();
    expect(tx.audits).toEqual([]);
    expect(tx.events).toEqual([]);
  });
});
