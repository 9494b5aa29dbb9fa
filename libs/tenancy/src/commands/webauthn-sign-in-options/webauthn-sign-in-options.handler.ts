import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { OneTimeStore } from '../../auth/one-time-store';
import { SignInSteps } from '../../auth/sign-in-steps';
import { WebAuthn } from '../../auth/webauthn';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { tenancyConfig, type TenancyConfig } from '../../tenancy.context';
import { Inject } from '@nestjs/common';
import { WebAuthnSignInOptionsCommand } from './webauthn-sign-in-options.command';

@CommandHandler(WebAuthnSignInOptionsCommand)
export class WebAuthnSignInOptionsHandler implements ICommandHandler<WebAuthnSignInOptionsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly steps: SignInSteps,
    private readonly factors: TwoFactorRepository,
    private readonly webauthn: WebAuthn,
    private readonly once: OneTimeStore,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async execute({ challengeToken, requestId }: WebAuthnSignInOptionsCommand): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const claims = await this.steps.open(challengeToken, 'verify');
    const context = this.steps.context(claims, { ip: null, userAgent: null, requestId });
    const credentials = await this.tx.run(context, (tx) => this.factors.credentials(tx.manager, claims.sub));
    if (credentials.length === 0) {
      throw new ProblemException({ status: 409, type: 'no-security-key', title: 'Conflict', detail: 'This account has no security key or passkey; answer with an authenticator code or a recovery code.' });
    }
    const options = await this.webauthn.authenticationOptions(credentials);
    await this.once.put('webauthn-sign-in', claims.jti, options.challenge, this.config.AUTH_TWO_FACTOR_CHALLENGE_TTL_SECONDS);
    return options;
  }
}
