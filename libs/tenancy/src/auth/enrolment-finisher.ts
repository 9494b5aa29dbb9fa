import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { newRecoveryCodes } from '../domain/recovery-codes';
import { TwoFactorRepository } from '../repositories/two-factor.repository';
import type { Session } from './session-issuer';
import { SignInSteps } from './sign-in-steps';
import type { ResolvedActor } from './two-factor-actor';

/**
 * What follows a newly enrolled factor, in its transaction: recovery codes when the account has
 * none left (so the first factor always comes with them), and on the enrol-now path the session.
 */
@Injectable()
export class EnrolmentFinisher {
  constructor(
    private readonly factors: TwoFactorRepository,
    private readonly steps: SignInSteps,
  ) {}

  async finish(tx: TenantTx, actor: ResolvedActor, method: string): Promise<{ recoveryCodes: string[] | null; session: Session | null }> {
    let recoveryCodes: string[] | null = null;
    if ((await this.factors.summary(tx.manager, actor.userId)).recoveryCodesLeft === 0) {
      const fresh = newRecoveryCodes();
      await this.factors.replaceRecoveryCodes(tx.manager, actor.userId, fresh.hashes);
      await tx.audit({ action: 'two_factor.recovery_codes_generated', entityType: 'user', entityId: actor.userId, after: { count: fresh.codes.length } });
      recoveryCodes = fresh.codes;
    }
    const session = actor.challenge
      ? await this.steps.finish(tx, actor.challenge, null, method, { ip: actor.context.ip ?? null, userAgent: actor.context.userAgent ?? null })
      : null;
    return { recoveryCodes, session };
  }
}
