import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { AccessCache } from '../../auth/access-cache';
import { ScimError } from '../../scim/scim-error';
import { ScimMembership } from '../../scim/scim-membership';
import { ScimRepository } from '../../scim/scim.repository';
import { ScimDeleteUserCommand } from './scim-delete-user.command';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Deprovisions: access goes as on deactivation, and the SCIM record with it (the user row stays for other tenants). */
@CommandHandler(ScimDeleteUserCommand)
export class ScimDeleteUserHandler implements ICommandHandler<ScimDeleteUserCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
    private readonly membership: ScimMembership,
    private readonly access: AccessCache,
  ) {}

  async execute({ context, id }: ScimDeleteUserCommand): Promise<void> {
    if (!UUID.test(id)) throw new ScimError(404, `User ${id} not found.`);
    const accessChanged = await this.tx.runPrivileged(context, async (tx) => {
      const current = await this.scim.findUser(tx, id, true);
      if (!current) throw new ScimError(404, `User ${id} not found.`);
      const changed = current.active ? await this.membership.deactivate(tx, current.userId, current.userName) : false;
      await this.scim.deleteUser(tx, id);
      await tx.audit({ action: 'scim.user_deleted', entityType: 'scim_user', entityId: id, before: { userId: current.userId, userName: current.userName, active: current.active } });
      return changed;
    });
    if (accessChanged) await this.access.changed(context.tenantId);
  }
}
