import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { EntityManager } from 'typeorm';
import type { Session, SessionIssuer } from '../../auth/session-issuer';
import { sha256 } from '../../domain/secrets';
import type { RefreshTokensRepository } from '../../repositories/refresh-tokens.repository';
import type { PresentedRefreshToken } from '../../repositories/refresh-tokens.sql';
import { RefreshSessionCommand } from './refresh-session.command';
import { RefreshSessionHandler } from './refresh-session.handler';

const TENANT = '33333333-3333-4333-8333-333333333333';
const token = (overrides: Partial<PresentedRefreshToken> = {}): PresentedRefreshToken => ({
  id: 'rt-1',
  tenantId: TENANT,
  userId: 'u1',
  familyId: 'fam-1',
  expiresAt: new Date(Date.now() + 86_400_000),
  rotated: false,
  revoked: false,
  role: 'agent',
  tenant: { id: TENANT, slug: 'acme', name: 'Acme', status: 'active' },
  ...overrides,
});
const session: Session = { accessToken: 'at', refreshToken: 'rt-new', tokenType: 'Bearer', expiresIn: 900, sessionId: 'fam-1', tenant: { id: TENANT, slug: 'acme', name: 'Acme' } };

function setup(found: PresentedRefreshToken | undefined) {
  const tx = Object.assign(new FakeTenantTransaction(), { runAsSystem: <T>(work: (m: EntityManager) => Promise<T>) => work({} as EntityManager) });
  const sessions = { renew: jest.fn<SessionIssuer['renew']>().mockResolvedValue(session) };
  const refreshTokens = {
    findForUpdate: jest.fn<RefreshTokensRepository['findForUpdate']>().mockResolvedValue(found),
    markRotated: jest.fn<RefreshTokensRepository['markRotated']>().mockResolvedValue(undefined),
    revokeFamily: jest.fn<RefreshTokensRepository['revokeFamily']>().mockResolvedValue(undefined),
  };
  const handler = new RefreshSessionHandler(tx.asTenantTransaction(), sessions as unknown as SessionIssuer, refreshTokens as unknown as RefreshTokensRepository);
  return { tx, sessions, refreshTokens, handler };
}

describe('RefreshSessionHandler', () => {
  it('rotates the token and issues a session in the same family', async () => {
    const { tx, sessions, refreshTokens, handler } = setup(token());
    expect(await handler.execute(new RefreshSessionCommand('presented', 'req-1'))).toBe(session);
    expect(refreshTokens.findForUpdate).toHaveBeenCalledWith(expect.anything(), sha256('presented'));
    expect(refreshTokens.markRotated).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ id: 'rt-1', tenantId: TENANT }));
    expect(sessions.renew).toHaveBeenCalledWith(expect.anything(), { userId: 'u1', role: 'agent', tenant: { id: TENANT, slug: 'acme', name: 'Acme' }, sessionId: 'fam-1' });
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it.each([
    ['rotated', { rotated: true }],
    ['rotated and revoked', { rotated: true, revoked: true }],
  ])('a %s token presented again revokes its whole family, is audited in its tenant, and answers 401', async (_name, overrides) => {
    const { tx, sessions, refreshTokens, handler } = setup(token(overrides));
    await expect(handler.execute(new RefreshSessionCommand('presented', 'req-1'))).rejects.toMatchObject({ problem: { status: 401, type: 'unauthorized', detail: expect.stringMatching(/already used/) } });
    expect(refreshTokens.revokeFamily).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ tenantId: TENANT, familyId: 'fam-1' }));
    expect(refreshTokens.markRotated).not.toHaveBeenCalled();
    expect(sessions.renew).not.toHaveBeenCalled();
    expect(tx.committed[0].context).toMatchObject({ tenantId: TENANT, actorId: 'u1', actorType: 'user', correlationId: 'req-1' });
    expect(tx.audits).toEqual([{ action: 'auth.refresh_token_reused', entityType: 'user', entityId: 'u1', after: { familyRevoked: 'fam-1' } }]);
  });

  it.each([
    ['an expired token', { expiresAt: new Date(Date.now() - 1000) }],
    ['a suspended tenant', { tenant: { id: TENANT, slug: 'acme', name: 'Acme', status: 'suspended' } }],
    ['a removed member', { role: null }],
  ] as [string, Partial<PresentedRefreshToken>][])('refuses %s with 401, rotating and revoking nothing', async (_name, overrides) => {
    const { tx, sessions, refreshTokens, handler } = setup(token(overrides));
    await expect(handler.execute(new RefreshSessionCommand('presented', null))).rejects.toMatchObject({ problem: { status: 401, type: 'unauthorized', detail: 'The refresh token has expired or no longer grants access.' } });
    expect(refreshTokens.markRotated).not.toHaveBeenCalled();
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
    expect(sessions.renew).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('the newest token of a revoked session (signed out or revoked) is refused with 401, without a reuse alarm', async () => {
    const { tx, sessions, refreshTokens, handler } = setup(token({ revoked: true }));
    await expect(handler.execute(new RefreshSessionCommand('presented', null))).rejects.toMatchObject({ problem: { status: 401, detail: expect.stringMatching(/has ended/) } });
    expect(refreshTokens.revokeFamily).not.toHaveBeenCalled();
    expect(sessions.renew).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('refuses an unknown token with 401', async () => {
    const { sessions, handler } = setup(undefined);
    await expect(handler.execute(new RefreshSessionCommand('presented', null))).rejects.toMatchObject({ problem: { status: 401, type: 'unauthorized', detail: 'The refresh token is not valid.' } });
    expect(sessions.renew).not.toHaveBeenCalled();
  });
});
