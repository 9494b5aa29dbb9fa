import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetMeQuery, type MeView } from './get-me.query';

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  execute({ principal }: GetMeQuery): Promise<MeView> {
    const tenantId = principal.tenantId!;
    return this.tx.run({ tenantId, actorId: principal.id, correlationId: null }, async (tx) => {
      // One query: the tenant, and the user when the caller is one.
      const [row]: (MeView['tenant'] & { user_id: string | null; user_email: string | null; user_name: string | null })[] = await tx.manager.query(
        `SELECT t.id, t.slug, t.name, t.timezone, t.locale, u.id AS user_id, u.email AS user_email, u.name AS user_name
           FROM tenants t LEFT JOIN users u ON u.id = $2 WHERE t.id = $1`,
        [tenantId, principal.kind === 'user' ? principal.id : null],
      );
      const tenant = { id: row.id, slug: row.slug, name: row.name, timezone: row.timezone, locale: row.locale };
      const user = row.user_id ? { id: row.user_id, email: row.user_email!, name: row.user_name! } : null;
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
