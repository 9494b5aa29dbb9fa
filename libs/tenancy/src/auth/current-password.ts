import { Injectable } from '@nestjs/common';
import { ProblemException, TenantTransaction, type CommandContext } from '@switchboard/platform';
import { UsersRepository } from '../repositories/users.repository';
import type { UserAccount } from '../repositories/users.sql';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';

/**
 * Re-asks for the password before changing credentials (password, second factors, recovery
 * codes), so a borrowed access token alone cannot take the account over. Wrong answers count into
 * the account's sign-in lockout and are audited. The slow hash runs outside any transaction.
 */
@Injectable()
export class CurrentPassword {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  async verify(context: CommandContext, password: string, field: string): Promise<UserAccount> {
    if (context.impersonatorId) {
      throw new ProblemException({ status: 403, type: 'impersonation-forbidden', title: 'Forbidden', detail: 'Credentials cannot be changed while impersonating a user.' });
    }
    const user = await this.tx.run(context, (tx) => this.users.account(tx, context.actorId!));
    if (!user) throw new ProblemException({ status: 403, type: 'user-credential-required', title: 'Forbidden', detail: 'Only a signed-in user can change their credentials.' });
    await this.throttle.assertAllowed(user.email);
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      await this.throttle.recordFailure(user.email);
      await this.tx.run(context, (tx) => tx.audit({ action: 'auth.password_check_failed', entityType: 'user', entityId: user.id }));
      throw new ProblemException({
        status: 400,
        type: 'wrong-password',
        title: 'Bad Request',
        detail: 'The current password is not correct.',
        errors: [{ field, message: 'is not correct' }],
      });
    }
    await this.throttle.clear(user.email);
    return user;
  }
}
