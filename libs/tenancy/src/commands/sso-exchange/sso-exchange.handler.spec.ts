import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { EntityManager } from 'typeorm';
import type { Session, SessionIssuer } from '../../auth/session-issuer';
import { sha256 } from '../../domain/secrets';
import type { MembersRepository } from '../../repositories/members.repository';
import type { UserTenant } from '../../repositories/members.sql';
import type { SsoRepository } from '../../sso/sso.repository';
import { SsoExchangeCommand } from './sso-exchange.command';
import { SsoExchangeHandler } from './sso-exchange.handler';

const ACME = '33333333-3333-4333-8333-333333333333';
const client = { ip: '203.0.113.9', userAgent: 'test', requestId: 'req-sso' };
const acme: UserTenant = { tenant: { id: ACME, slug: 'acme', name: 'Acme' }, role: 'agent' };
const session: Session = { accessToken: 'at', refreshToken: 'rt', tokenType: 'Bearer', expiresIn: 900, tenant: acme.tenant, sessionId: 'session-1' };

function setup(used: { tenantId: string; userId: string } | undefined, tenants: UserTenant[] = [acme]) {
  const tx = Object.assign(new FakeTenantTransaction(), { runAsSystem: <T>(work: (m: EntityManager) => Promise<T>) => work({} as EntityManager) });
  const sso = { consumeLoginCode: jest.fn<SsoRepository['consumeLoginCode']>().mockResolvedValue(used) };
  const members = { activeTenantsOf: jest.fn<MembersRepository['activeTenantsOf']>().mockResolvedValue(tenants) };
  const sessions = { issue: jest.fn<SessionIssuer['issue']>().mockResolvedValue(session) };
  const handler = new SsoExchangeHandler(tx.asTenantTransaction(), sessions as unknown as SessionIssuer, sso as unknown as SsoRepository, members as unknown as MembersRepository);
  return { tx, sso, members, sessions, handler };
}

describe('SsoExchangeHandler', () => {
  it('uses the code up (by its hash) and issues the member’s session in their tenant, audited as an SSO login', async () => {
    const { tx, sso, sessions, handler } = setup({ tenantId: ACME, userId: 'u1' });
    expect(await handler.execute(new SsoExchangeCommand('the-code', client))).toBe(session);
    expect(sso.consumeLoginCode).toHaveBeenCalledWith(expect.anything(), sha256('the-code'));
    expect(sessions.issue.mock.calls[0][1]).toEqual({ userId: 'u1', role: 'agent', tenant: acme.tenant, method: 'sso', client });
    expect(sessions.issue.mock.calls[0][0]).toBe(tx.committed[0].manager);
    expect(tx.committed[0].context).toMatchObject({ tenantId: ACME, actorId: 'u1', actorType: 'user', correlationId: 'req-sso' });
    expect(tx.audits).toEqual([{ action: 'auth.login', entityType: 'user', entityId: 'u1', after: { method: 'sso', sessionId: 'session-1' } }]);
  });

  it('an unknown, used or expired code is a 401 and issues nothing', async () => {
    const { tx, sessions, handler } = setup(undefined);
    await expect(handler.execute(new SsoExchangeCommand('nope', client))).rejects.toMatchObject({ problem: { status: 401, type: 'sso-code-invalid' } });
    expect(sessions.issue).not.toHaveBeenCalled();
    expect(tx.committed).toEqual([]);
  });

  it('a member removed (or a tenant suspended) since the code was issued gets the same 401', async () => {
    const { sessions, handler } = setup({ tenantId: ACME, userId: 'u1' }, []);
    await expect(handler.execute(new SsoExchangeCommand('the-code', client))).rejects.toMatchObject({ problem: { status: 401 } });
    expect(sessions.issue).not.toHaveBeenCalled();
  });
});
