import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { OneTimeStore } from '../../auth/one-time-store';
import { EnrolmentActors } from '../../auth/two-factor-actor';
import { WebAuthn } from '../../auth/webauthn';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { UsersRepository } from '../../repositories/users.repository';
import { tenancyConfig, type TenancyConfig } from '../../tenancy.context';
import { StartWebAuthnRegistrationCommand } from './start-webauthn-registration.command';

@CommandHandler(StartWebAuthnRegistrationCommand)
export class StartWebAuthnRegistrationHandler implements ICommandHandler<StartWebAuthnRegistrationCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly actors: EnrolmentActors,
    private readonly factors: TwoFactorRepository,
    private readonly users: UsersRepository,
    private readonly webauthn: WebAuthn,
    private readonly once: OneTimeStore,
    @Inject(tenancyConfig.token) private readonly config: TenancyConfig,
  ) {}

  async execute({ actor: raw }: StartWebAuthnRegistrationCommand): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const actor = await this.actors.resolve(raw);
    const { user, existing } = await this.tx.run(actor.context, async (tx) => {
      const user = await this.users.account(tx, actor.userId);
      if (!user) throw notFound('User', actor.userId);
      return { user, existing: await this.factors.credentials(tx.manager, actor.userId) };
    });
    const options = await this.webauthn.registrationOptions(user, existing);
    await this.once.put('webauthn-registration', actor.userId, options.challenge, this.config.AUTH_TWO_FACTOR_CHALLENGE_TTL_SECONDS);
    return options;
  }
}
