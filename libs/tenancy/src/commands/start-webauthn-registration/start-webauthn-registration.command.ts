import { Command } from '@nestjs/cqrs';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { EnrolmentActor } from '../../auth/two-factor-actor';

/** Options for navigator.credentials.create(); the challenge is remembered for the user for a few minutes. */
export class StartWebAuthnRegistrationCommand extends Command<PublicKeyCredentialCreationOptionsJSON> {
  constructor(readonly actor: EnrolmentActor) {
    super();
  }
}
