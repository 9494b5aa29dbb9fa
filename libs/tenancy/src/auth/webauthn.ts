import { Inject, Injectable } from '@nestjs/common';
import type * as SimpleWebAuthn from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { onFirstUse } from '@switchboard/platform';
import type { WebAuthnCredentialRow } from '../repositories/two-factor.sql';
import { tenancyConfig, type TenancyConfig } from '../tenancy.context';

/** Loaded with the first passkey ceremony, not at boot. */
const webauthn = onFirstUse<typeof SimpleWebAuthn>('@simplewebauthn/server');

const TIMEOUT_MS = 120_000;

export interface NewCredential {
  credentialId: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
}

/**
 * Security keys and passkeys as a second factor (@simplewebauthn/server). The relying party is
 * AUTH_WEBAUTHN_RP_ID and responses must come from one of AUTH_WEBAUTHN_ORIGINS. Any attestation
 * is accepted ('none' requested): the factor proves possession, not a make of key. Library errors
 * (malformed responses) become `null`: the caller answers them as a failed second factor.
 */
@Injectable()
export class WebAuthn {
  constructor(@Inject(tenancyConfig.token) private readonly config: TenancyConfig) {}

  registrationOptions(user: { id: string; email: string; name: string }, existing: WebAuthnCredentialRow[]): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return webauthn().generateRegistrationOptions({
      rpName: this.config.AUTH_WEBAUTHN_RP_NAME,
      rpID: this.config.AUTH_WEBAUTHN_RP_ID,
      userName: user.email,
      userDisplayName: user.name,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      timeout: TIMEOUT_MS,
      excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
  }

  async verifyRegistration(response: unknown, expectedChallenge: string): Promise<NewCredential | null> {
    try {
      const result = await webauthn().verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.config.AUTH_WEBAUTHN_ORIGINS,
        expectedRPID: this.config.AUTH_WEBAUTHN_RP_ID,
        requireUserVerification: false,
      });
      if (!result.verified) return null;
      const { credential } = result.registrationInfo;
      return { credentialId: credential.id, publicKey: Buffer.from(credential.publicKey), counter: credential.counter, transports: credential.transports ?? [] };
    } catch {
      return null;
    }
  }

  authenticationOptions(credentials: WebAuthnCredentialRow[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return webauthn().generateAuthenticationOptions({
      rpID: this.config.AUTH_WEBAUTHN_RP_ID,
      allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: c.transports as never })),
      userVerification: 'preferred',
      timeout: TIMEOUT_MS,
    });
  }

  /** The credential used and its new signature counter, or null when the assertion does not verify. */
  async verifyAuthentication(
    response: unknown,
    expectedChallenge: string,
    credentials: WebAuthnCredentialRow[],
  ): Promise<{ credential: WebAuthnCredentialRow; newCounter: number } | null> {
    const id = typeof response === 'object' && response !== null ? (response as { id?: unknown }).id : undefined;
    const credential = credentials.find((c) => c.credentialId === id);
    if (!credential) return null;
    try {
      const result = await webauthn().verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.config.AUTH_WEBAUTHN_ORIGINS,
        expectedRPID: this.config.AUTH_WEBAUTHN_RP_ID,
        credential: { id: credential.credentialId, publicKey: new Uint8Array(credential.publicKey), counter: credential.counter, transports: credential.transports as never },
        requireUserVerification: false,
      });
      return result.verified ? { credential, newCounter: result.authenticationInfo.newCounter } : null;
    } catch {
      return null;
    }
  }
}
