import { Command } from '@nestjs/cqrs';
import type { EnrolmentActor } from '../../auth/two-factor-actor';

export interface TotpProvisioning {
  /** Base32, for typing into an authenticator app by hand. */
  secret: string;
  otpauthUri: string;
  /** The URI as a QR code (PNG data URL). */
  qrCode: string;
}

/** A new TOTP secret, pending until a code from it is confirmed. */
export class StartTotpEnrolmentCommand extends Command<TotpProvisioning> {
  constructor(readonly actor: EnrolmentActor) {
    super();
  }
}
