import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { CurrentPassword } from '../../auth/current-password';
import { PasswordHasher } from '../../auth/password-hasher';
import { assertAcceptablePassword, emailWords } from '../../domain/password-policy';
import { SessionsRepository } from '../../repositories/sessions.repository';
import { UsersRepository } from '../../repositories/users.repository';
import { ChangePasswordCommand } from './change-password.command';

@CommandHandler(ChangePasswordCommand)
export class ChangePasswordHandler implements ICommandHandler<ChangePasswordCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly current: CurrentPassword,
    private readonly passwords: PasswordHasher,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, currentSessionId, currentPassword, newPassword }: ChangePasswordCommand): Promise<void> {
    const user = await this.current.verify(context, currentPassword, 'currentPassword');
    assertAcceptablePassword(newPassword, 'newPassword', emailWords(user.email));
    if (await this.passwords.verify(user.passwordHash, newPassword)) {
      throw new ProblemException({
        status: 400,
        type: 'weak-password',
        title: 'Bad Request',
        detail: 'The new password must differ from the current one.',
        errors: [{ field: 'newPassword', message: 'is the current password' }],
      });
    }
    const hash = await this.passwords.hash(newPassword); // slow: outside the transaction
    // Privileged: the sessions to end live in every tenant of the user, beyond this one's RLS.
    const tenants = await this.tx.runPrivileged(context, async (tx) => {
      await this.users.setPassword(tx, user.id, hash);
      await tx.audit({ action: 'auth.password_changed', entityType: 'user', entityId: user.id, after: { otherSessionsRevoked: true } });
      // The password is the user's in every tenant: so are the sessions it ends.
      return this.sessions.revokeEverywhereExcept(tx.manager, user.id, 'password_changed', currentSessionId);
    });
    for (const tenantId of new Set([...tenants, context.tenantId])) await this.access.changed(tenantId);
  }
}
