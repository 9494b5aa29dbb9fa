import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetMeQuery, type MeView } from './get-me.query';

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ principal }: GetMeQuery): Promise<MeView> {
    const tenantId = principal.tenantId!;
    return this.tx.run({ tenantId, actorId: principal.id, correlationId: null }, async (tx) => {
      const [tenant]: MeView['tenant'][] = await tx.manager.query(`SELECT id, slug, name, timezone, locale FROM tenants WHERE id = $1`, [tenantId]);
      const user =
        principal.kind === 'user'
          ? ((await tx.manager.query(`SELECT id, email, name FROM users WHERE id = $1`, [principal.id])) as MeView['user'][])[0]
          : null;
      const apiKey =
        principal.kind === 'api-key'
          ? ((await tx.manager.query(`SELECT id, name FROM api_keys WHERE tenant_id = $1 AND id = $2`, [tenantId, principal.id])) as MeView['apiKey'][])[0]
          : null;
      return {
        kind: principal.kind === 'api-key' ? 'api-key' : 'user',
        user: user ?? null,
        apiKey: apiKey ?? null,
        tenant,
        role: principal.role ?? null,
        permissions: principal.permissions ?? [],
        impersonatedBy: principal.impersonatorId ?? null,
      };
    });
  }
}
