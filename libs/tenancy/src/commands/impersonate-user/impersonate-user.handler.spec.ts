import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TokenService } from '../../auth/token-service';
import type { MembersRepository } from '../../repositories/members.repository';
import type { ImpersonationTarget } from '../../repositories/members.sql';
import { ImpersonateUserCommand } from './impersonate-user.command';
import { ImpersonateUserHandler, IMPERSONATION_TTL_SECONDS } from './impersonate-user.handler';

const context = testContext({ actorType: 'platform_admin', actorId: 'operator' });
const target = (tenantStatus: string): ImpersonationTarget => ({ id: 'u1', email: 'cy@example.com', name: 'Cy', role: 'agent', tenantStatus });

function setup(found: ImpersonationTarget | undefined) {
  const tx = new FakeTenantTransaction();
  const tokens = { sign: jest.fn<TokenService['sign']>().mockResolvedValue('signed-token') };
  const members = { findImpersonationTarget: jest.fn<MembersRepository['findImpersonationTarget']>().mockResolvedValue(found) };
  const handler = new ImpersonateUserHandler(tx.asTenantTransaction(), tokens as unknown as TokenService, members as unknown as MembersRepository);
  return { tx, tokens, handler };
}

describe('ImpersonateUserHandler', () => {
  it('signs a five-minute token that names the operator, and audits it', async () => {
    const { tx, tokens, handler } = setup(target('active'));
    expect(await handler.execute(new ImpersonateUserCommand(context, 'u1'))).toEqual({
      accessToken: 'signed-token',
      tokenType: 'Bearer',
      expiresIn: 300,
      user: { id: 'u1', email: 'cy@example.com', name: 'Cy', role: 'agent' },
    });
    expect(tokens.sign).toHaveBeenCalledWith({ sub: 'u1', tid: context.tenantId, role: 'agent', imp: 'operator' }, IMPERSONATION_TTL_SECONDS);
    expect(tx.audits).toEqual([{ action: 'auth.impersonation_started', entityType: 'user', entityId: 'u1', after: { expiresIn: 300 } }]);
  });

  it('names the platform admin key when the operator has no id', async () => {
    const { tokens, handler } = setup(target('active'));
    await handler.execute(new ImpersonateUserCommand({ ...context, actorId: null }, 'u1'));
    expect(tokens.sign.mock.calls[0][0].imp).toBe('platform-admin');
  });

  it('refuses a suspended tenant’s user with 409 tenant-not-active, signing nothing', async () => {
    const { tx, tokens, handler } = setup(target('suspended'));
    await expect(handler.execute(new ImpersonateUserCommand(context, 'u1'))).rejects.toMatchObject({ problem: { status: 409, type: 'tenant-not-active' } });
    expect(tokens.sign).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('answers 404 for someone who is not a member', async () => {
    const { tokens, handler } = setup(undefined);
    await expect(handler.execute(new ImpersonateUserCommand(context, 'u9'))).rejects.toMatchObject({ problem: { status: 404 } });
    expect(tokens.sign).not.toHaveBeenCalled();
  });
});
