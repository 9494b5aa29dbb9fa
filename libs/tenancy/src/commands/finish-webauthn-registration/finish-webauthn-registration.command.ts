import { Command } from '@nestjs/cqrs';
import type { EnrolmentActor } from '../../auth/two-factor-actor';
import type { EnrolmentResult } from '../confirm-totp/confirm-totp.command';
import type { WebAuthnCredentialView } from '../../queries/get-two-factor-status/get-two-factor-status.query';

export class FinishWebAuthnRegistrationCommand extends Command<EnrolmentResult & { credential: WebAuthnCredentialView }> {
  constructor(
    readonly actor: EnrolmentActor,
    readonly name: string,
    /** The browser's RegistrationResponseJSON, verified here. */
    readonly response: Record<string, unknown>,
  ) {
    super();
  }
}
