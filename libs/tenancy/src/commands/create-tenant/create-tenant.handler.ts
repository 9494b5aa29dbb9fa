import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { PasswordHasher } from '../../auth/password-hasher';
import { normaliseEmail } from '../../domain/email';
import { MembersRepository } from '../../repositories/members.repository';
import { TenantsRepository } from '../../repositories/tenants.repository';
import type { TenantView } from '../../repositories/tenants.sql';
import { UsersRepository } from '../../repositories/users.repository';
import { TenantCreated } from '../../tenancy.context';
import { CreateTenantCommand } from './create-tenant.command';
import { assertAcceptablePassword, emailWords } from '../../domain/password-policy';

/**
 * A tenant with its first owner, in one transaction. An existing user (same email) becomes the
 * owner with the password they already have: a tenant can never reset someone's password.
 */
@CommandHandler(CreateTenantCommand)
export class CreateTenantHandler implements ICommandHandler<CreateTenantCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly passwords: PasswordHasher,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly members: MembersRepository,
  ) {}

  async execute({ actor, input }: CreateTenantCommand): Promise<TenantView> {
    const tenantId = randomUUID();
    const email = normaliseEmail(input.owner.email);
    assertAcceptablePassword(input.owner.password, 'owner.password', [...emailWords(email), input.slug, input.name]);
    const passwordHash = await this.passwords.hash(input.owner.password); // slow: outside the transaction
    return this.tx.runPrivileged({ ...actor, tenantId }, async (tx) => {
      const view = await this.tenants.insert(tx, { slug: input.slug, name: input.name, timezone: input.timezone, locale: input.locale });
      const userId = await this.users.upsert(tx, { email, name: input.owner.name, passwordHash });
      const membershipId = randomUUID();
      await this.members.add(tx, membershipId, userId, 'owner');
      await tx.audit({ action: 'tenant.created', entityType: 'tenant', entityId: tenantId, after: { slug: view.slug, name: view.name, timezone: view.timezone, locale: view.locale } });
      await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId, email, role: 'owner' } });
      await tx.emit(TenantCreated.of(tenantId, { slug: view.slug }));
      return view;
    });
  }
}
