import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { FeatureFlags, notFound, TenantTransaction } from '@switchboard/platform';
import { ApiKeysRepository } from '../../repositories/api-keys.repository';
import { TenantsRepository } from '../../repositories/tenants.repository';
import { GetMeQuery, type MeView } from './get-me.query';

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tenants: TenantsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly flags: FeatureFlags,
  ) {}

  async execute({ principal }: GetMeQuery): Promise<MeView> {
    const tenantId = principal.tenantId!;
    const flags = await this.flags.all({ tenantId, userId: principal.kind === 'user' ? principal.id : null });
    return this.tx.run({ tenantId, actorId: principal.id, correlationId: null }, async (tx) => {
      // One query: the tenant, and the user when the caller is one.
      const found = await this.tenants.findWithUser(tx, principal.kind === 'user' ? principal.id : null);
      if (!found) throw notFound('Tenant', tenantId);
      const key = principal.kind === 'api-key' ? await this.apiKeys.find(tx, principal.id) : undefined;
      return {
        kind: principal.kind === 'api-key' ? 'api-key' : 'user',
        user: found.user,
        apiKey: key ? { id: key.id, name: key.name } : null,
        tenant: found.tenant,
        role: principal.role ?? null,
        permissions: principal.permissions ?? [],
        impersonatedBy: principal.impersonatorId ?? null,
        flags,
      };
    });
  }
}
