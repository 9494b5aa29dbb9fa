import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { UsersRepository } from '../../repositories/users.repository';
import { ScimError } from '../../scim/scim-error';
import { ScimMembership } from '../../scim/scim-membership';
import { parseScimUser, personName, toScimUser, type ScimUserResource } from '../../scim/scim-user';
import { ScimRepository } from '../../scim/scim.repository';
import { ScimCreateUserCommand } from './scim-create-user.command';

/**
 * Provisions a person: the user (found by email across tenants, or created without a password:
 * they sign in through SSO), the SCIM record, and, when active, a membership with the
 * provisioning role. An existing member keeps the role they have.
 */
@CommandHandler(ScimCreateUserCommand)
export class ScimCreateUserHandler implements ICommandHandler<ScimCreateUserCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
    private readonly users: UsersRepository,
    private readonly membership: ScimMembership,
  ) {}

  async execute({ context, body, baseUrl }: ScimCreateUserCommand): Promise<ScimUserResource> {
    const fields = parseScimUser(body);
    // Users span tenants: creating one is platform work, so a privileged transaction that filters by tenant itself.
    const record = await this.tx.runPrivileged(context, async (tx) => {
      if (await this.scim.exists(tx, { userName: fields.userName })) throw new ScimError(409, `A user with userName ${fields.userName} exists already.`, 'uniqueness');
      const userId = await this.users.upsert(tx, { email: fields.userName, name: personName(fields), passwordHash: null });
      const created = await this.scim.insertUser(tx, userId, fields);
      if (fields.active) await this.membership.activate(tx, userId, fields.userName);
      await tx.audit({ action: 'scim.user_created', entityType: 'scim_user', entityId: created.id, after: { userId, ...fields } });
      return created;
    });
    return toScimUser(record, baseUrl);
  }
}
