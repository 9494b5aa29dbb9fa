import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, onFirstUse, ProblemException, TenantTransaction } from '@switchboard/platform';
import type * as Qrcode from 'qrcode';
import { TotpSecrets } from '../../auth/totp-secrets';
import { EnrolmentActors } from '../../auth/two-factor-actor';
import { newTotpSecret, totpUri } from '../../domain/totp';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { UsersRepository } from '../../repositories/users.repository';
import { tenancyConfig, type TenancyConfig } from '../../tenancy.context';
import { StartTotpEnrolmentCommand, type TotpProvisioning } from './start-totp-enrolment.command';

/** Loaded with the first enrolment, not at boot. */
const qrcode = onFirstUse<typeof Qrcode>('qrcode');

@CommandHandler(StartTotpEnrolmentCommand)
export class StartTotpEnrolmentHandler implements ICommandHandler<StartTotpEnrolmentCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly actors: EnrolmentActors,
    private readonly factors: TwoFactorRepository,
    private readonly users: UsersRepository,
    private readonly secrets: TotpSecrets,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async execute({ actor }: StartTotpEnrolmentCommand): Promise<TotpProvisioning> {
    const { context, userId } = await this.actors.resolve(actor);
    const secret = newTotpSecret();
    const email = await this.tx.run(context, async (tx) => {
      const user = await this.users.account(tx, userId);
      if (!user) throw notFound('User', userId);
      if (!(await this.factors.savePendingTotp(tx.manager, userId, this.secrets.seal(userId, secret)))) {
        throw new ProblemException({
          status: 409,
          type: 'totp-already-enabled',
          title: 'Conflict',
          detail: 'An authenticator app is already set up for this account; reset two-factor authentication first to replace it.',
        });
      }
      await tx.audit({ action: 'two_factor.totp_enrolment_started', entityType: 'user', entityId: userId });
      return user.email;
    });
    // The factor is the user's, whichever tenant they sign in to: the issuer names the product, not a tenant.
    const otpauthUri = totpUri(secret, this.config.AUTH_TOTP_ISSUER, email);
    return { secret, otpauthUri, qrCode: await qrcode().toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }) };
  }
}
