import { jest } from '@jest/globals';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { EntityManager } from 'typeorm';
import type { SsoRepository } from './sso.repository';
import type { SsoConnection } from './sso.sql';
import { SsoPolicy } from './sso-policy';

const ACME = { id: '33333333-3333-4333-8333-333333333333', slug: 'acme' };
const client = { ip: null, userAgent: null, requestId: 'req' };
const connection = (over: Partial<SsoConnection>): SsoConnection =>
  ({ tenantId: ACME.id, enabled: true, ssoOnly: true, breakGlassUserId: 'owner-1', protocol: 'oidc', ...over }) as SsoConnection;

function setup(found: SsoConnection | undefined) {
  const tx = Object.assign(new FakeTenantTransaction(), { runAsSystem: <T>(work: (m: EntityManager) => Promise<T>) => work({} as EntityManager) });
  const sso = { findForTenant: jest.fn<SsoRepository['findForTenant']>().mockResolvedValue(found) };
  return { tx, policy: new SsoPolicy(tx.asTenantTransaction(), sso as unknown as SsoRepository) };
}

describe('SsoPolicy (SSO only)', () => {
  it('refuses a password for a member of an SSO-only tenant with 403 sso-required, and audits the refusal', async () => {
    const { tx, policy } = setup(connection({}));
    await expect(policy.assertPasswordAllowed(ACME, 'agent-1', client)).rejects.toMatchObject({
      problem: { status: 403, type: 'sso-required', extensions: { tenant: 'acme', startUrl: '/v1/auth/sso/acme/start' } },
    });
    expect(tx.audits).toEqual([{ action: 'auth.password_refused', entityType: 'user', entityId: 'agent-1', after: { reason: 'sso-only' } }]);
  });

  it.each([
    ['the break-glass owner', connection({}), 'owner-1'],
    ['a tenant without SSO', undefined, 'agent-1'],
    ['SSO that is not exclusive', connection({ ssoOnly: false }), 'agent-1'],
    ['SSO that is switched off', connection({ enabled: false }), 'agent-1'],
  ])('lets %s use a password', async (_what, found, userId) => {
    const { tx, policy } = setup(found);
    await expect(policy.assertPasswordAllowed(ACME, userId, client)).resolves.toBeUndefined();
    expect(tx.audits).toEqual([]);
  });
});
