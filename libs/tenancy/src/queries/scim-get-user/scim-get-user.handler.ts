import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ScimError } from '../../scim/scim-error';
import { toScimUser, type ScimUserResource } from '../../scim/scim-user';
import { ScimRepository } from '../../scim/scim.repository';
import { ScimGetUserQuery } from './scim-get-user.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@QueryHandler(ScimGetUserQuery)
export class ScimGetUserHandler implements IQueryHandler<ScimGetUserQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
  ) {}

  async execute({ tenantId, id, baseUrl }: ScimGetUserQuery): Promise<ScimUserResource> {
    const found = UUID.test(id) ? await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.scim.findUser(tx, id)) : undefined;
    if (!found) throw new ScimError(404, `User ${id} not found.`);
    return toScimUser(found, baseUrl);
  }
}
