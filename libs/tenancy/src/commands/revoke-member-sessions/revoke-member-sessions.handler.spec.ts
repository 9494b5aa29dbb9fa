import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { MembersRepository } from '../../repositories/members.repository';
import type { MemberView } from '../../repositories/members.sql';
import type { SessionsRepository } from '../../repositories/sessions.repository';
import { RevokeMemberSessionsCommand } from './revoke-member-sessions.command';
import { RevokeMemberSessionsHandler } from './revoke-member-sessions.handler';

const member = { id: 'm1', userId: 'u7', email: 'tech@acme.test', name: 'Tech', role: 'technician', createdAt: '' } as MemberView;

function setup(found: MemberView | undefined) {
  const tx = new FakeTenantTransaction();
  const members = { findForUpdate: jest.fn<MembersRepository['findForUpdate']>().mockResolvedValue(found) };
  const sessions = { revokeAllInTenant: jest.fn<SessionsRepository['revokeAllInTenant']>().mockResolvedValue(['a', 'b']) };
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const handler = new RevokeMemberSessionsHandler(tx.asTenantTransaction(), members as unknown as MembersRepository, sessions as unknown as SessionsRepository, access as unknown as AccessCache);
  return { tx, members, sessions, access, handler };
}

describe('RevokeMemberSessionsHandler', () => {
  const ctx = testContext();

  it('an owner ends every session of the member in this tenant, audited with the count', async () => {
    const { tx, sessions, access, handler } = setup(member);
    expect(await handler.execute(new RevokeMemberSessionsCommand(ctx, 'owner', 'm1'))).toEqual({ revoked: 2 });
    expect(sessions.revokeAllInTenant.mock.calls[0]!.slice(1)).toEqual(['u7', 'revoked_by_owner']);
    expect(tx.audits).toEqual([{ action: 'member.sessions_revoked', entityType: 'membership', entityId: 'm1', after: { userId: 'u7', sessionsRevoked: 2 } }]);
    expect(access.changed).toHaveBeenCalledWith(ctx.tenantId);
  });

  it('admins and below get 403 before anything is read', async () => {
    for (const role of ['admin', 'agent', undefined]) {
      const { members, handler } = setup(member);
      await expect(handler.execute(new RevokeMemberSessionsCommand(ctx, role, 'm1'))).rejects.toMatchObject({ problem: { status: 403 } });
      expect(members.findForUpdate).not.toHaveBeenCalled();
    }
  });

  it('a member of another tenant (or none) is 404', async () => {
    const { sessions, access, handler } = setup(undefined);
    await expect(handler.execute(new RevokeMemberSessionsCommand(ctx, 'owner', 'm9'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(sessions.revokeAllInTenant).not.toHaveBeenCalled();
    expect(access.changed).not.toHaveBeenCalled();
  });
});
