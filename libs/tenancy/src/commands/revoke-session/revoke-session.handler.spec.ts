import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { AccessCache } from '../../auth/access-cache';
import type { SessionsRepository } from '../../repositories/sessions.repository';
import { RevokeSessionCommand } from './revoke-session.command';
import { RevokeSessionHandler } from './revoke-session.handler';

function setup(revoked: string[]) {
  const tx = new FakeTenantTransaction();
  const sessions = { revokeOne: jest.fn<SessionsRepository['revokeOne']>().mockResolvedValue(revoked) };
  const access = { changed: jest.fn<AccessCache['changed']>().mockResolvedValue(undefined) };
  const handler = new RevokeSessionHandler(tx.asTenantTransaction(), sessions as unknown as SessionsRepository, access as unknown as AccessCache);
  return { tx, sessions, access, handler };
}

describe('RevokeSessionHandler', () => {
  const ctx = testContext();

  it('ends one of the caller’s own sessions, audits it and drops every process’s cached check after the commit', async () => {
    const { tx, sessions, access, handler } = setup(['s2']);
    await handler.execute(new RevokeSessionCommand(ctx, 's2'));
    expect(sessions.revokeOne.mock.calls[0]!.slice(1)).toEqual([ctx.actorId, 's2', 'revoked_by_user']);
    expect(tx.audits).toEqual([{ action: 'auth.session_revoked', entityType: 'session', entityId: 's2', after: { userId: ctx.actorId } }]);
    expect(access.changed).toHaveBeenCalledWith(ctx.tenantId);
  });

  it('someone else’s, another tenant’s or an ended session is 404, and nothing is published', async () => {
    const { tx, access, handler } = setup([]);
    await expect(handler.execute(new RevokeSessionCommand(ctx, 's9'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tx.audits).toEqual([]);
    expect(access.changed).not.toHaveBeenCalled();
  });
});
