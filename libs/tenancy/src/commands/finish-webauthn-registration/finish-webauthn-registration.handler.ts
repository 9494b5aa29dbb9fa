import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { EnrolmentFinisher } from '../../auth/enrolment-finisher';
import { OneTimeStore } from '../../auth/one-time-store';
import { SignInSteps } from '../../auth/sign-in-steps';
import { EnrolmentActors } from '../../auth/two-factor-actor';
import { WebAuthn } from '../../auth/webauthn';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { toCredentialView } from '../../queries/get-two-factor-status/get-two-factor-status.query';
import { FinishWebAuthnRegistrationCommand } from './finish-webauthn-registration.command';

const notVerified = (detail: string) => new ProblemException({ status: 400, type: 'webauthn-registration-failed', title: 'Bad Request', detail });

/** Verifies the authenticator's attestation against the remembered challenge and stores the credential's public key. */
@CommandHandler(FinishWebAuthnRegistrationCommand)
export class FinishWebAuthnRegistrationHandler implements ICommandHandler<FinishWebAuthnRegistrationCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly actors: EnrolmentActors,
    private readonly factors: TwoFactorRepository,
    private readonly webauthn: WebAuthn,
    private readonly once: OneTimeStore,
    private readonly finisher: EnrolmentFinisher,
    private readonly steps: SignInSteps,
  ) {}

  async execute({ actor: raw, name, response }: FinishWebAuthnRegistrationCommand) {
    const actor = await this.actors.resolve(raw);
    const challenge = await this.once.take('webauthn-registration', actor.userId);
    const fail = (detail: string) =>
      this.tx
        .run(actor.context, (tx) => tx.audit({ action: 'two_factor.webauthn_registration_failed', entityType: 'user', entityId: actor.userId, after: { reason: detail } }))
        .then(() => notVerified(detail));
    if (!challenge) throw await fail('No registration is pending (or it expired); request new options and try again.');
    const credential = await this.webauthn.verifyRegistration(response, challenge);
    if (!credential) throw await fail('The security key’s response did not verify (wrong origin, challenge or signature).');
    if (actor.challenge) await this.steps.spend(actor.challenge);
    try {
      return await this.tx.run(actor.context, async (tx) => {
        const row = await this.factors.addCredential(tx.manager, { userId: actor.userId, ...credential, name });
        if (!row) throw new ProblemException({ status: 409, type: 'webauthn-already-registered', title: 'Conflict', detail: 'This security key is already registered.' });
        await tx.audit({ action: 'two_factor.webauthn_added', entityType: 'user', entityId: actor.userId, after: { credentialId: row.id, name } });
        return { credential: toCredentialView(row), ...(await this.finisher.finish(tx, actor, 'password+webauthn_enrolment')) };
      });
    } catch (error) {
      if (actor.challenge) await this.steps.release(actor.challenge);
      throw error;
    }
  }
}
