import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ScimRepository } from '../../scim/scim.repository';
import { ScimDirectoryUsersQuery, type ScimDirectoryUser } from './scim-directory-users.query';

@QueryHandler(ScimDirectoryUsersQuery)
export class ScimDirectoryUsersHandler implements IQueryHandler<ScimDirectoryUsersQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
  ) {}

  execute({ tenantId }: ScimDirectoryUsersQuery): Promise<ScimDirectoryUser[]> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) =>
      (await this.scim.listUsers(tx)).map((u) => ({ scimId: u.id, userId: u.userId, userName: u.userName, displayName: u.displayName, active: u.active })),
    );
  }
}
