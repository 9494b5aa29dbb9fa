import { Command } from '@nestjs/cqrs';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';

/** Second step with a security key: the options for navigator.credentials.get(), challenge remembered for this sign-in. */
export class WebAuthnSignInOptionsCommand extends Command<PublicKeyCredentialRequestOptionsJSON> {
  constructor(
    readonly challengeToken: string,
    readonly requestId: string | null,
  ) {
    super();
  }
}
