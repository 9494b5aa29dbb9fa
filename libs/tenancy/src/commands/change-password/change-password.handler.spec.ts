import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { CurrentPassword } from '../../auth/current-password';
import type { PasswordHasher } from '../../auth/password-hasher';
import type { SessionsRepository } from '../../repositories/sessions.repository';
import type { UsersRepository } from '../../repositories/users.repository';
import { ChangePasswordCommand } from './change-password.command';
import { ChangePasswordHandler } from './change-password.handler';

const user = { id: 'u1', email: 'ada@example.com', name: 'Ada', passwordHash: 'old-hash' };

function setup(options: { wrongCurrent?: boolean; same?: boolean } = {}) {
  const tx = new FakeTenantTransaction();
  const current = {
    verify: options.wrongCurrent
      ? jest.fn<CurrentPassword['verify']>().mockRejectedValue(Object.assign(new Error('wrong'), { problem: { status: 400, type: 'wrong-password' } }))
      : jest.fn<CurrentPassword['verify']>().mockResolvedValue(user),
  };
  const passwords = { verify: jest.fn<PasswordHasher['verify']>().mockResolvedValue(options.same ?? false), hash: jest.fn<PasswordHasher['hash']>().mockResolvedValue('new-hash') };
  const users = { setPassword: jest.fn<UsersRepository['setPassword']>().mockResolvedValue(undefined) };
  const sessions = { revokeEverywhereExcept: jest.fn<SessionsRepository['revokeEverywhereExcept']>().mockResolvedValue(['t-a', 't-b']) };
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const handler = new ChangePasswordHandler(
    tx.asTenantTransaction(),
    current as unknown as CurrentPassword,
    passwords as unknown as PasswordHasher,
    users as unknown as UsersRepository,
    sessions as unknown as SessionsRepository,
    access as unknown as AccessCache,
  );
  return { tx, current, passwords, users, sessions, access, handler };
}

describe('ChangePasswordHandler', () => {
  const ctx = testContext();
  const change = (next: string) => new ChangePasswordCommand(ctx, 'sess-1', 'old password here', next);

  it('sets the new hash, ends the user’s other sessions in every tenant, audits, and drops those tenants’ cached checks', async () => {
    const { tx, users, sessions, access, handler } = setup();
    await handler.execute(change('a lighthouse keeper counts the waves'));
    expect(users.setPassword.mock.calls[0]!.slice(1)).toEqual(['u1', 'new-hash']);
    expect(sessions.revokeEverywhereExcept.mock.calls[0]!.slice(1)).toEqual(['u1', 'password_changed', 'sess-1']);
    expect(tx.audits).toEqual([{ action: 'auth.password_changed', entityType: 'user', entityId: 'u1', after: { otherSessionsRevoked: true } }]);
    expect(access.changed.mock.calls.map((c) => c[0]).sort()).toEqual(['t-a', 't-b', ctx.tenantId].sort());
  });

  it('refuses a breached or short new password before hashing anything', async () => {
    for (const weak of ['Password1234', 'qwertyqwerty', 'ada@example.com', 'short']) {
      const { passwords, users, handler } = setup();
      await expect(handler.execute(change(weak))).rejects.toMatchObject({ problem: { status: 400, type: 'weak-password', errors: [{ field: 'newPassword' }] } });
      expect(passwords.hash).not.toHaveBeenCalled();
      expect(users.setPassword).not.toHaveBeenCalled();
    }
  });

  it('refuses the current password as the new one', async () => {
    const { users, handler } = setup({ same: true });
    await expect(handler.execute(change('a lighthouse keeper counts the waves'))).rejects.toMatchObject({ problem: { status: 400, detail: expect.stringMatching(/differ/) } });
    expect(users.setPassword).not.toHaveBeenCalled();
  });

  it('a wrong current password changes nothing', async () => {
    const { users, sessions, handler } = setup({ wrongCurrent: true });
    await expect(handler.execute(change('a lighthouse keeper counts the waves'))).rejects.toMatchObject({ problem: { status: 400, type: 'wrong-password' } });
    expect(users.setPassword).not.toHaveBeenCalled();
    expect(sessions.revokeEverywhereExcept).not.toHaveBeenCalled();
  });
});
