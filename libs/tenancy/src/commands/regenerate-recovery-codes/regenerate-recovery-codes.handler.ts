import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { CurrentPassword } from '../../auth/current-password';
import { newRecoveryCodes } from '../../domain/recovery-codes';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { RegenerateRecoveryCodesCommand } from './regenerate-recovery-codes.command';

@CommandHandler(RegenerateRecoveryCodesCommand)
export class RegenerateRecoveryCodesHandler implements ICommandHandler<RegenerateRecoveryCodesCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly current: CurrentPassword,
    private readonly factors: TwoFactorRepository,
  ) {}

  async execute({ context, password }: RegenerateRecoveryCodesCommand): Promise<{ recoveryCodes: string[] }> {
    const user = await this.current.verify(context, password, 'password');
    const fresh = newRecoveryCodes();
    await this.tx.run(context, async (tx) => {
      const summary = await this.factors.summary(tx.manager, user.id);
      if (!summary.totp && summary.webauthn === 0) {
        throw new ProblemException({ status: 409, type: 'two-factor-not-enabled', title: 'Conflict', detail: 'Recovery codes come with a second factor; set up an authenticator app or a security key first.' });
      }
      await this.factors.replaceRecoveryCodes(tx.manager, user.id, fresh.hashes);
      await tx.audit({ action: 'two_factor.recovery_codes_generated', entityType: 'user', entityId: user.id, before: { recoveryCodesLeft: summary.recoveryCodesLeft }, after: { count: fresh.codes.length } });
    });
    return { recoveryCodes: fresh.codes };
  }
}
