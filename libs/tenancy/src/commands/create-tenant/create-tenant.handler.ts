import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { PasswordHasher } from '../../auth/password-hasher';
import { findTenant, normaliseEmail, toTenantView, type TenantView } from '../../repositories/tenancy.sql';
import { CreateTenantCommand } from './create-tenant.command';
import { TenantCreated } from '../../tenancy.context';

/**
 * A tenant with its first owner, in one transaction. An existing user (same email) becomes the
 * owner with the password they already have: a tenant can never reset someone's password.
 */
@CommandHandler(CreateTenantCommand)
export class CreateTenantHandler implements ICommandHandler<CreateTenantCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly passwords: PasswordHasher,
  ) {}

  async execute({ actor, input }: CreateTenantCommand): Promise<TenantView> {
    const tenantId = randomUUID();
    const email = normaliseEmail(input.owner.email);
    const passwordHash = await this.passwords.hash(input.owner.password); // slow: outside the transaction
    return this.tx.runPrivileged({ ...actor, tenantId }, async (tx) => {
      const m = tx.manager;
      await m.query(`INSERT INTO tenants (id, slug, name, timezone, locale) VALUES ($1, $2, $3, $4, $5)`, [
        tenantId,
        input.slug,
        input.name,
        input.timezone,
        input.locale,
      ]);
      const users: { id: string }[] = await m.query(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id`,
        [email, input.owner.name, passwordHash],
      );
      const membershipId = randomUUID();
      await m.query(`INSERT INTO memberships (tenant_id, id, user_id, role) VALUES ($1, $2, $3, 'owner')`, [tenantId, membershipId, users[0].id]);
      const tenant = (await findTenant(m, tenantId))!;
      const view = toTenantView(tenant);
      await tx.audit({ action: 'tenant.created', entityType: 'tenant', entityId: tenantId, after: { slug: view.slug, name: view.name, timezone: view.timezone, locale: view.locale } });
      await tx.audit({ action: 'member.added', entityType: 'membership', entityId: membershipId, after: { userId: users[0].id, email, role: 'owner' } });
      await tx.emit(TenantCreated.of(tenantId, { slug: view.slug }));
      return view;
    });
  }
}
