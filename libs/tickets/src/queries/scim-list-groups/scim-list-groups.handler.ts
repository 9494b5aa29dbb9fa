import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { SCIM_LIST_SCHEMA, ScimDirectoryUsersQuery, ScimError } from '@switchboard/tenancy';
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { toScimGroup, type ScimGroupResource } from '../../domain/scim-group';
import { GroupsRepository } from '../../repositories/groups.repository';
import { ScimListGroupsQuery, type ScimGroupList } from './scim-list-groups.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_COUNT = 100;
const number = (v: string | undefined, fallback: number) => (v === undefined || !/^-?\d{1,9}$/.test(v) ? fallback : Number(v));

/**
 * The tenant's ticket groups as SCIM Groups, members being the users the directory provisioned.
 * Filtered in memory (a tenant has tens of groups; directories send `displayName eq "…"`), then paged.
 * `excludedAttributes=members` (what Entra ID asks for) leaves the member lists out.
 */
@QueryHandler(ScimListGroupsQuery)
export class ScimListGroupsHandler implements IQueryHandler<ScimListGroupsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly groups: GroupsRepository,
  ) {}

  async execute({ tenantId, params, baseUrl }: ScimListGroupsQuery): Promise<ScimGroupList | ScimGroupResource> {
    if (params.id !== undefined && !UUID.test(params.id)) throw new ScimError(404, `Group ${params.id} not found.`);
    let test: (r: unknown) => boolean = () => true;
    if (params.filter) {
      if (params.filter.length > 1000) throw new ScimError(400, 'The filter is too long.', 'invalidFilter');
      try {
        test = compileFilter(parseFilter(params.filter));
      } catch (error) {
        throw new ScimError(400, `The filter cannot be parsed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300), 'invalidFilter');
      }
    }
    const directory = new Map((await this.queries.execute(new ScimDirectoryUsersQuery(tenantId))).map((u) => [u.userId, u]));
    const withoutMembers = /(^|,)\s*members\s*(,|$)/i.test(params.excludedAttributes ?? '');
    const resources = await this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const groups = params.id ? [await this.groups.find(tx, params.id, { live: true })].filter((g) => g !== undefined) : await this.groups.list(tx, { limit: 10_000 });
      if (params.id && groups.length === 0) throw new ScimError(404, `Group ${params.id} not found.`);
      // One read of every membership, not one per group.
      const members = withoutMembers ? new Map<string, string[]>() : await this.groups.allMembers(tx);
      const out: ScimGroupResource[] = [];
      for (const g of groups) {
        const users = (members.get(g.id) ?? []).map((id) => directory.get(id)).filter((u) => u !== undefined);
        out.push(toScimGroup(g, users.map((u) => ({ scimId: u.scimId, display: u.displayName ?? u.userName })), baseUrl));
      }
      return out;
    });
    if (params.id) return withoutMembers ? { ...resources[0]!, members: [] } : resources[0]!;
    const matching = resources.filter((r) => test(r)).map((r) => (withoutMembers ? { ...r, members: [] } : r));
    const startIndex = Math.max(1, number(params.startIndex, 1));
    const count = Math.min(MAX_COUNT, Math.max(0, number(params.count, MAX_COUNT)));
    const page = matching.slice(startIndex - 1, startIndex - 1 + count);
    return { schemas: [SCIM_LIST_SCHEMA], totalResults: matching.length, startIndex, itemsPerPage: page.length, Resources: page };
  }
}
