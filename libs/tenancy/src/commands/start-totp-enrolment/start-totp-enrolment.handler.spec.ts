import { jest } from '@jest/globals';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { TotpSecrets } from '../../auth/totp-secrets';
import type { EnrolmentActors } from '../../auth/two-factor-actor';
import type { TwoFactorRepository } from '../../repositories/two-factor.repository';
import type { UsersRepository } from '../../repositories/users.repository';
import type { TenancyConfig } from '../../tenancy.context';
import { StartTotpEnrolmentCommand } from './start-totp-enrolment.command';
import { StartTotpEnrolmentHandler } from './start-totp-enrolment.handler';

const ctx = testContext();

function setup(saved = true) {
  const tx = new FakeTenantTransaction();
  const actors = { resolve: jest.fn<EnrolmentActors['resolve']>().mockResolvedValue({ context: ctx, userId: ctx.actorId!, challenge: null }) };
  const factors = { savePendingTotp: jest.fn<TwoFactorRepository['savePendingTotp']>().mockResolvedValue(saved) };
  const users = { account: jest.fn<UsersRepository['account']>().mockResolvedValue({ id: ctx.actorId!, email: 'ada@example.com', name: 'Ada', passwordHash: 'h' }) };
  const secrets = { seal: jest.fn<TotpSecrets['seal']>().mockReturnValue({ keyId: 'k', blob: Buffer.from('sealed') }) };
  const handler = new StartTotpEnrolmentHandler(
    tx.asTenantTransaction(),
    actors as unknown as EnrolmentActors,
    factors as unknown as TwoFactorRepository,
    users as unknown as UsersRepository,
    secrets as unknown as TotpSecrets,
    { AUTH_TOTP_ISSUER: 'Switchboard' } as TenancyConfig,
  );
  return { tx, factors, secrets, handler };
}

describe('StartTotpEnrolmentHandler', () => {
  it('stores a sealed pending secret and answers the secret, its URI and a QR code', async () => {
    const { tx, factors, secrets, handler } = setup();
    const result = await handler.execute(new StartTotpEnrolmentCommand({ via: 'session', context: ctx }));
    expect(result.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(result.otpauthUri).toContain(`secret=${result.secret}`);
    expect(result.otpauthUri).toContain('issuer=Switchboard');
    expect(result.qrCode).toMatch(/^data:image\/png;base64,/);
    expect(secrets.seal).toHaveBeenCalledWith(ctx.actorId, result.secret);
    expect(factors.savePendingTotp.mock.calls[0]![2]).toEqual({ keyId: 'k', blob: Buffer.from('sealed') });
    expect(tx.audits).toEqual([{ action: 'two_factor.totp_enrolment_started', entityType: 'user', entityId: ctx.actorId }]);
  });

  it('an app already on is 409 (reset first)', async () => {
    const { tx, handler } = setup(false);
    await expect(handler.execute(new StartTotpEnrolmentCommand({ via: 'session', context: ctx }))).rejects.toMatchObject({ problem: { status: 409, type: 'totp-already-enabled' } });
    expect(tx.audits).toEqual([]);
  });
});
