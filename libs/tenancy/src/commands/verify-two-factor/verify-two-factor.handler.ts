import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { LoginThrottle } from '../../auth/login-throttle';
import { OneTimeStore } from '../../auth/one-time-store';
import type { Session } from '../../auth/session-issuer';
import { SignInSteps } from '../../auth/sign-in-steps';
import type { ChallengeClaims } from '../../auth/token-service';
import { TotpSecrets } from '../../auth/totp-secrets';
import { WebAuthn } from '../../auth/webauthn';
import { hashRecoveryCode, looksLikeRecoveryCode } from '../../domain/recovery-codes';
import { checkTotp } from '../../domain/totp';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { VerifyTwoFactorCommand, type SecondFactorProof } from './verify-two-factor.command';

/** Why a proof failed: kept for the audit entry; the caller gets one answer for all. */
type Failure = 'invalid' | 'replayed' | 'not_enrolled' | 'used_or_unknown' | 'no_pending_challenge';

class SecondFactorFailed extends Error {
  constructor(readonly reason: Failure) {
    super(reason);
  }
}

const refused = (reason: Failure) =>
  new ProblemException({
    status: 401,
    type: 'second-factor-invalid',
    title: 'Unauthorized',
    detail:
      reason === 'replayed'
        ? 'That code was already used; wait for the next one from your authenticator app.'
        : reason === 'no_pending_challenge'
          ? 'No security-key challenge is pending for this sign-in; request one (POST /v1/auth/two-factor/webauthn/options) and try again.'
          : 'The second factor is not correct.',
  });

/**
 * The second step of a sign-in: the challenge from the password step plus one proof. A failure
 * counts into the account's lockout and is audited; success clears the count, spends the
 * challenge and issues the session in the same transaction that records the factor's use.
 */
@CommandHandler(VerifyTwoFactorCommand)
export class VerifyTwoFactorHandler implements ICommandHandler<VerifyTwoFactorCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly steps: SignInSteps,
    private readonly throttle: LoginThrottle,
    private readonly factors: TwoFactorRepository,
    private readonly totpSecrets: TotpSecrets,
    private readonly webauthn: WebAuthn,
    private readonly once: OneTimeStore,
  ) {}

  async execute({ challengeToken, proof, client }: VerifyTwoFactorCommand): Promise<Session> {
    const claims = await this.steps.open(challengeToken, 'verify');
    await this.throttle.assertAllowed(claims.email);
    const context = this.steps.context(claims, client);
    // Redis before the transaction (no network inside it): the pending WebAuthn challenge is single use.
    const webauthnChallenge = proof.kind === 'webauthn' ? await this.once.take('webauthn-sign-in', claims.jti) : null;
    const method = `password+${proof.kind}`;
    await this.steps.spend(claims);
    try {
      const result = await this.tx.run(context, async (tx) => {
        const extra = await this.check(tx, claims, proof, webauthnChallenge);
        const session = await this.steps.finish(tx, claims, null, method, client);
        if (extra) await tx.audit(extra);
        return session;
      });
      await this.throttle.clear(claims.email);
      return result;
    } catch (error) {
      await this.steps.release(claims);
      if (!(error instanceof SecondFactorFailed)) throw error;
      await this.throttle.recordFailure(claims.email);
      await this.tx.run(context, (tx) =>
        tx.audit({ action: 'auth.second_factor_failed', entityType: 'user', entityId: claims.sub, after: { method: proof.kind, reason: error.reason } }),
      );
      throw refused(error.reason);
    }
  }

  /** Throws SecondFactorFailed, or records the factor's use and returns an extra audit entry. */
  private async check(tx: TenantTx, claims: ChallengeClaims, proof: SecondFactorProof, webauthnChallenge: string | null) {
    const userId = claims.sub;
    if (proof.kind === 'totp') {
      const stored = await this.factors.findTotp(tx.manager, userId, true);
      if (!stored?.confirmed) throw new SecondFactorFailed('not_enrolled');
      const secret = this.totpSecrets.open(userId, stored.keyId, stored.secretEnc);
      const result = await checkTotp(secret, proof.code, stored.lastTimeStep);
      if (!result.valid) throw new SecondFactorFailed(result.replayed ? 'replayed' : 'invalid');
      if (!(await this.factors.recordTotpStep(tx.manager, userId, result.timeStep))) throw new SecondFactorFailed('replayed');
      return null;
    }
    if (proof.kind === 'recovery_code') {
      if (!looksLikeRecoveryCode(proof.code) || !(await this.factors.useRecoveryCode(tx.manager, userId, hashRecoveryCode(proof.code)))) {
        throw new SecondFactorFailed('used_or_unknown');
      }
      const left = (await this.factors.summary(tx.manager, userId)).recoveryCodesLeft;
      return { action: 'two_factor.recovery_code_used', entityType: 'user', entityId: userId, after: { recoveryCodesLeft: left } };
    }
    if (!webauthnChallenge) throw new SecondFactorFailed('no_pending_challenge');
    const credentials = await this.factors.credentials(tx.manager, userId);
    if (credentials.length === 0) throw new SecondFactorFailed('not_enrolled');
    const verified = await this.webauthn.verifyAuthentication(proof.response, webauthnChallenge, credentials);
    if (!verified) throw new SecondFactorFailed('invalid');
    await this.factors.recordCredentialUse(tx.manager, userId, verified.credential.id, verified.newCounter);
    return null;
  }
}
