import { Command } from '@nestjs/cqrs';
import type { Session } from '../../auth/session-issuer';

/** Exactly one proof: a TOTP code, a recovery code, or a WebAuthn assertion (checked by the DTO). */
export type SecondFactorProof = { kind: 'totp'; code: string } | { kind: 'recovery_code'; code: string } | { kind: 'webauthn'; response: Record<string, unknown> };

export class VerifyTwoFactorCommand extends Command<Session> {
  constructor(
    readonly challengeToken: string,
    readonly proof: SecondFactorProof,
    readonly client: { ip: string | null; userAgent: string | null; requestId: string | null },
  ) {
    super();
  }
}
