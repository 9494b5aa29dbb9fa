import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { EnrolmentFinisher } from '../../auth/enrolment-finisher';
import type { OneTimeStore } from '../../auth/one-time-store';
import type { SignInSteps } from '../../auth/sign-in-steps';
import type { EnrolmentActors } from '../../auth/two-factor-actor';
import type { WebAuthn } from '../../auth/webauthn';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { WebAuthnCredentialRow } from '../../repositories/two-factor.sql';
import { FinishWebAuthnRegistrationCommand } from './finish-webauthn-registration.command';
import { FinishWebAuthnRegistrationHandler } from './finish-webauthn-registration.handler';

const ctx = testContext();
const row: WebAuthnCredentialRow = { id: 'k1', credentialId: 'cred', publicKey: Buffer.from([1]), counter: 0, transports: ['usb'], name: 'Key', createdAt: '2026-12-07T00:00:00.000Z', lastUsedAt: null };
const verified = { credentialId: 'cred', publicKey: Buffer.from([1]), counter: 0, transports: ['usb'] };

function setup(options: { pending?: string | null; verified?: typeof verified | null; inserted?: WebAuthnCredentialRow | undefined } = {}) {
  const tx = new FakeTenantTransaction();
  const actors = { resolve: jest.fn<EnrolmentActors['resolve']>().mockResolvedValue({ context: ctx, userId: ctx.actorId!, challenge: null }) };
  const factors = { addCredential: jest.fn<TwoFactorRepository['addCredential']>().mockResolvedValue('inserted' in options ? options.inserted : row) };
  const webauthn = { verifyRegistration: jest.fn<WebAuthn['verifyRegistration']>().mockResolvedValue(options.verified === undefined ? verified : options.verified) };
  const once = { take: jest.fn<OneTimeStore['take']>().mockResolvedValue(options.pending === undefined ? 'chal' : options.pending) };
  const finisher = { finish: jest.fn<EnrolmentFinisher['finish']>().mockResolvedValue({ recoveryCodes: null, session: null }) };
  const steps = { spend: jest.fn<SignInSteps['spend']>(), release: jest.fn<SignInSteps['release']>() };
  const handler = new FinishWebAuthnRegistrationHandler(
    tx.asTenantTransaction(),
    actors as unknown as EnrolmentActors,
    factors as unknown as TwoFactorRepository,
    webauthn as unknown as WebAuthn,
    once as unknown as OneTimeStore,
    finisher as unknown as EnrolmentFinisher,
    steps as unknown as SignInSteps,
  );
  return { tx, factors, webauthn, once, handler };
}

const command = () => new FinishWebAuthnRegistrationCommand({ via: 'session', context: ctx }, 'Key', { id: 'cred' });

describe('FinishWebAuthnRegistrationHandler', () => {
  it('verifies against the pending challenge, stores the key and audits it', async () => {
    const { tx, factors, webauthn, once, handler } = setup();
    expect(await handler.execute(command())).toEqual({ credential: { id: 'k1', name: 'Key', createdAt: row.createdAt, lastUsedAt: null }, recoveryCodes: null, session: null });
    expect(once.take).toHaveBeenCalledWith('webauthn-registration', ctx.actorId);
    expect(webauthn.verifyRegistration).toHaveBeenCalledWith({ id: 'cred' }, 'chal');
    expect(factors.addCredential.mock.calls[0]![1]).toEqual({ userId: ctx.actorId, ...verified, name: 'Key' });
    expect(tx.audits).toEqual([{ action: 'two_factor.webauthn_added', entityType: 'user', entityId: ctx.actorId, after: { credentialId: 'k1', name: 'Key' } }]);
  });

  it('no pending challenge, or a response that does not verify, is 400 and audited; nothing is stored', async () => {
    for (const options of [{ pending: null }, { verified: null }]) {
      const { tx, factors, handler } = setup(options);
      await expect(handler.execute(command())).rejects.toMatchObject({ problem: { status: 400, type: 'webauthn-registration-failed' } });
      expect(factors.addCredential).not.toHaveBeenCalled();
      expect(tx.audits.map((a) => a.action)).toEqual(['two_factor.webauthn_registration_failed']);
    }
  });

  it('a key already registered (to anyone) is 409', async () => {
    const { handler } = setup({ inserted: undefined });
    await expect(handler.execute(command())).rejects.toMatchObject({ problem: { status: 409, type: 'webauthn-already-registered' } });
  });
});
