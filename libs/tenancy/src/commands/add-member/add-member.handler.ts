import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { PasswordHasher } from '../../auth/password-hasher';
import { normaliseEmail } from '../../domain/email';
import { MembersRepository } from '../../repositories/members.repository';
import { UsersRepository } from '../../repositories/users.repository';
import { MemberAdded } from '../../tenancy.context';
import { AddMemberCommand } from './add-member.command';
import { assertAcceptablePassword, emailWords } from '../../domain/password-policy';

@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly passwords: PasswordHasher,
    private readonly users: UsersRepository,
    private readonly members: MembersRepository,
  ) {}

  async execute({ context, input }: AddMemberCommand): Promise<{ membershipId: string; userId: string }> {
    const email = normaliseEmail(input.email);
    // Checked even when the user exists and keeps theirs: the answer must not tell whether they do.
    assertAcceptablePassword(input.password, 'password', emailWords(email));
    const passwordHash = await this.passwords.hash(input.password);
    // Users span tenants, so creating one is platform work; the membership is the tenant's.
    return this.tx.runPrivileged(context, async (tx) => {
      const userId = await this.users.upsert(tx, { email, name: input.name, passwordHash });
      const membershipId = randomUUID();
      await this.members.add(tx, membershipId, userId, input.role);
      await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId, email, role: input.role } });
      await tx.emit(MemberAdded.of(membershipId, { userId, role: input.role }));
      return { membershipId, userId };
    });
  }
}
