import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { CurrentPassword } from '../../auth/current-password';
import { SessionsRepository } from '../../repositories/sessions.repository';
import { TwoFactorRepository } from '../../repositories/two-factor.repository';
import { ResetTwoFactorCommand } from './reset-two-factor.command';

@CommandHandler(ResetTwoFactorCommand)
export class ResetTwoFactorHandler implements ICommandHandler<ResetTwoFactorCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly current: CurrentPassword,
    private readonly factors: TwoFactorRepository,
    private readonly sessions: SessionsRepository,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, currentSessionId, password }: ResetTwoFactorCommand): Promise<void> {
    const user = await this.current.verify(context, password, 'password');
    const tenants = await this.tx.runPrivileged(context, async (tx) => {
      const before = await this.factors.summary(tx.manager, user.id);
      await this.factors.removeAll(tx.manager, user.id);
      await tx.audit({ action: 'two_factor.reset', entityType: 'user', entityId: user.id, before: { ...before }, after: { totp: false, webauthn: 0, recoveryCodesLeft: 0 } });
      return this.sessions.revokeEverywhereExcept(tx.manager, user.id, 'two_factor_reset', currentSessionId);
    });
    for (const tenantId of new Set([...tenants, context.tenantId])) await this.access.changed(tenantId);
  }
}
