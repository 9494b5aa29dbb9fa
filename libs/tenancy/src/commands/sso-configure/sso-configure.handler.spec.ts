import { generateKeyPairSync } from 'node:crypto';
import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { Role } from '../../domain/roles';
import type { MembersRepository } from '../../repositories/members.repository';
import type { SsoRepository } from '../../sso/sso.repository';
import type { SsoSecrets } from '../../sso/sso-secrets';
import type { SsoConnection } from '../../sso/sso.sql';
import type { TenancyConfig } from '../../tenancy.context';
import { SsoConfigureCommand, type SsoSettingsInput } from './sso-configure.command';
import { SsoConfigureHandler } from './sso-configure.handler';

const context = testContext();
const oidc: SsoSettingsInput = {
  protocol: 'oidc',
  enabled: true,
  issuer: 'https://login.acme.example',
  clientId: 'switchboard',
  clientSecret: 'top-secret',
  samlEntryPoint: null,
  samlIdpCert: null,
  domains: ['b.example', 'a.example', 'a.example'],
  jitProvisioning: true,
  defaultRole: 'agent',
  ssoOnly: false,
  breakGlassUserId: null,
};
const stored = { version: 1, domains: ['a.example', 'b.example'], clientSecretSet: true } as unknown as SsoConnection;

function setup(options: { before?: SsoConnection; role?: Role; allowPrivate?: boolean; saveError?: unknown } = {}) {
  const tx = new FakeTenantTransaction();
  const sso = {
    find: jest.fn<SsoRepository['find']>().mockResolvedValueOnce(options.before).mockResolvedValue(stored),
    save: options.saveError ? jest.fn<SsoRepository['save']>().mockRejectedValue(options.saveError) : jest.fn<SsoRepository['save']>().mockResolvedValue(undefined),
  };
  const members = { roleOf: jest.fn<MembersRepository['roleOf']>().mockResolvedValue(options.role) };
  const secrets = { seal: jest.fn<SsoSecrets['seal']>().mockResolvedValue('sealed') };
  const config = { SSO_ALLOW_PRIVATE_ISSUERS: options.allowPrivate ?? false } as TenancyConfig;
  const handler = new SsoConfigureHandler(tx.asTenantTransaction(), sso as unknown as SsoRepository, members as unknown as MembersRepository, secrets as unknown as SsoSecrets, config);
  return { tx, sso, members, secrets, handler };
}

describe('SsoConfigureHandler', () => {
  it('seals the client secret for the tenant, stores unique sorted domains, and audits without the secret', async () => {
    const { tx, sso, secrets, handler } = setup();
    await handler.execute(new SsoConfigureCommand(context, oidc, undefined));
    expect(secrets.seal).toHaveBeenCalledWith(context.tenantId, 'top-secret');
    expect(sso.save.mock.calls[0][1]).toMatchObject({ protocol: 'oidc', clientId: 'switchboard', clientSecretSealed: 'sealed', samlIdpCert: null });
    expect(sso.save.mock.calls[0][2]).toEqual(['a.example', 'b.example']);
    expect(tx.audits).toHaveLength(1);
    expect(tx.audits[0]).toMatchObject({ action: 'sso.configured', entityType: 'sso_connection', entityId: context.tenantId, after: { clientSecret: 'changed' } });
    expect(JSON.stringify(tx.audits)).not.toContain('top-secret');
  });

  it.each<[string, Partial<SsoSettingsInput>, boolean?]>([
    ['an http issuer', { issuer: 'http://login.acme.example' }],
    ['an OIDC connection without a client id', { clientId: null }],
    ['SAML without a certificate', { protocol: 'saml', samlEntryPoint: 'https://idp.example/sso', clientSecret: undefined }],
    ['SAML with a certificate that is not one', { protocol: 'saml', samlEntryPoint: 'https://idp.example/sso', samlIdpCert: 'nope', clientSecret: undefined }],
    ['SAML with a client secret', { protocol: 'saml', samlEntryPoint: 'https://idp.example/sso', samlIdpCert: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString() }],
  ])('refuses %s with 422 before any write', async (_what, change) => {
    const { tx, sso, handler } = setup();
    await expect(handler.execute(new SsoConfigureCommand(context, { ...oidc, ...change }, undefined))).rejects.toMatchObject({ problem: { status: 422, type: 'validation-failed' } });
    expect(sso.save).not.toHaveBeenCalled();
    expect(tx.audits).toEqual([]);
  });

  it('takes an http issuer when private issuers are allowed', async () => {
    const { sso, handler } = setup({ allowPrivate: true });
    await handler.execute(new SsoConfigureCommand(context, { ...oidc, issuer: 'http://127.0.0.1:4000' }, undefined));
    expect(sso.save).toHaveBeenCalled();
  });

  it('stores a SAML connection without any OIDC secret', async () => {
    const { sso, secrets, handler } = setup();
    const cert = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await handler.execute(new SsoConfigureCommand(context, { ...oidc, protocol: 'saml', clientSecret: undefined, samlEntryPoint: 'https://idp.example/sso', samlIdpCert: cert }, undefined));
    expect(secrets.seal).not.toHaveBeenCalled();
    expect(sso.save.mock.calls[0][1]).toMatchObject({ protocol: 'saml', clientId: null, clientSecretSealed: null, samlIdpCert: cert });
  });

  it('requires the break-glass account to be an owner (422), and a current If-Match (412)', async () => {
    const agent = setup({ role: 'agent' });
    await expect(agent.handler.execute(new SsoConfigureCommand(context, { ...oidc, breakGlassUserId: 'u1' }, undefined))).rejects.toMatchObject({ problem: { status: 422 } });
    expect(agent.sso.save).not.toHaveBeenCalled();
    const stale = setup({ before: stored });
    await expect(stale.handler.execute(new SsoConfigureCommand(context, oidc, 7))).rejects.toMatchObject({ problem: { status: 412 } });
    expect(stale.sso.save).not.toHaveBeenCalled();
  });

  it('answers 409 when a domain is claimed by another tenant', async () => {
    const { tx, handler } = setup({ saveError: Object.assign(new Error('duplicate key'), { code: '23505' }) });
    await expect(handler.execute(new SsoConfigureCommand(context, oidc, undefined))).rejects.toMatchObject({ problem: { status: 409, type: 'sso-domain-taken' } });
    expect(tx.audits).toEqual([]);
  });
});
