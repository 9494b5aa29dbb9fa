import { Command } from '@nestjs/cqrs';
import type { Session } from '../../auth/session-issuer';
import type { EnrolmentActor } from '../../auth/two-factor-actor';

export interface EnrolmentResult {
  /** Shown once, when this is the account's first factor (or its codes were used up); null otherwise. */
  recoveryCodes: string[] | null;
  /** On the enrol-now path: the sign-in this enrolment completes. */
  session: Session | null;
}

/** A code from the pending secret turns it on. */
export class ConfirmTotpCommand extends Command<EnrolmentResult> {
  constructor(
    readonly actor: EnrolmentActor,
    readonly code: string,
  ) {
    super();
  }
}
