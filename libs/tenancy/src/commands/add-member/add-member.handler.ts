import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { PasswordHasher } from '../../auth/password-hasher';
import { normaliseEmail } from '../../repositories/tenancy.sql';
import { AddMemberCommand } from './add-member.command';
import { MemberAdded } from '../../tenancy.context';

@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly passwords: PasswordHasher,
  ) {}

  async execute({ context, input }: AddMemberCommand): Promise<{ membershipId: string; userId: string }> {
    const email = normaliseEmail(input.email);
    const passwordHash = await this.passwords.hash(input.password);
    // Users span tenants, so creating one is platform work; the membership is the tenant's.
    return this.tx.runPrivileged(context, async (tx) => {
      const users: { id: string }[] = await tx.manager.query(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
        [email, input.name, passwordHash],
      );
      const membershipId = randomUUID();
      await tx.manager.query(`INSERT INTO memberships (tenant_id, id, user_id, role) VALUES ($1, $2, $3, $4)`, [
        context.tenantId,
        membershipId,
        users[0].id,
        input.role,
      ]);
      await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId: users[0].id, email, role: input.role } });
      await tx.emit(MemberAdded.of(membershipId, { userId: users[0].id, role: input.role }));
      return { membershipId, userId: users[0].id };
    });
  }
}
