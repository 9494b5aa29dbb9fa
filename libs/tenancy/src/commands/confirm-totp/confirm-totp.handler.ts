import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { EnrolmentFinisher } from '../../auth/enrolment-finisher';
import { LoginThrottle } from '../../auth/login-throttle';
import { SignInSteps } from '../../auth/sign-in-steps';
import { TotpSecrets } from '../../auth/totp-secrets';
import { EnrolmentActors } from '../../auth/two-factor-actor';
import { checkTotp } from '../../domain/totp';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { ConfirmTotpCommand, type EnrolmentResult } from './confirm-totp.command';

class WrongCode extends Error {}

const noPending = () =>
  new ProblemException({ status: 409, type: 'no-pending-totp', title: 'Conflict', detail: 'There is no authenticator app waiting for confirmation; start the setup first.' });

/**
 * Turns the pending TOTP secret on when a code from it is right; the code's step is remembered, so
 * it cannot be replayed at sign-in. On the enrol-now path this also completes the sign-in.
 */
@CommandHandler(ConfirmTotpCommand)
export class ConfirmTotpHandler implements ICommandHandler<ConfirmTotpCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly actors: EnrolmentActors,
    private readonly factors: TwoFactorRepository,
    private readonly secrets: TotpSecrets,
    private readonly finisher: EnrolmentFinisher,
    private readonly steps: SignInSteps,
    private readonly throttle: LoginThrottle,
  ) {}

  async execute({ actor: raw, code }: ConfirmTotpCommand): Promise<EnrolmentResult> {
    const actor = await this.actors.resolve(raw);
    if (actor.challenge) {
      await this.throttle.assertAllowed(actor.challenge.email);
      await this.steps.spend(actor.challenge);
    }
    try {
      const result = await this.tx.run(actor.context, async (tx) => {
        const stored = await this.factors.findTotp(tx.manager, actor.userId, true);
        if (!stored) throw noPending();
        if (stored.confirmed) {
          throw new ProblemException({ status: 409, type: 'totp-already-enabled', title: 'Conflict', detail: 'The authenticator app is already confirmed.' });
        }
        const check = await checkTotp(this.secrets.open(actor.userId, stored.keyId, stored.secretEnc), code, stored.lastTimeStep);
        if (!check.valid) throw new WrongCode();
        await this.factors.confirmTotp(tx.manager, actor.userId, check.timeStep);
        await tx.audit({ action: 'two_factor.totp_enabled', entityType: 'user', entityId: actor.userId });
        return this.finisher.finish(tx, actor, 'password+totp_enrolment');
      });
      if (actor.challenge) await this.throttle.clear(actor.challenge.email);
      return result;
    } catch (error) {
      if (actor.challenge) await this.steps.release(actor.challenge);
      if (!(error instanceof WrongCode)) throw error;
      if (actor.challenge) await this.throttle.recordFailure(actor.challenge.email);
      await this.tx.run(actor.context, (tx) => tx.audit({ action: 'two_factor.totp_confirmation_failed', entityType: 'user', entityId: actor.userId }));
      throw new ProblemException({
        status: 400,
        type: 'invalid-code',
        title: 'Bad Request',
        detail: 'The code does not match; check the device’s clock and enter the code your authenticator app shows now.',
        errors: [{ field: 'code', message: 'does not match the authenticator app' }],
      });
    }
  }
}
