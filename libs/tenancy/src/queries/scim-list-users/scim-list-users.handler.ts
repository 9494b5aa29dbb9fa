import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { ScimError } from '../../scim/scim-error';
import { LIST_SCHEMA, toScimUser } from '../../scim/scim-user';
import { ScimRepository } from '../../scim/scim.repository';
import { ScimListUsersQuery, type ScimListResponse } from './scim-list-users.query';

export const MAX_COUNT = 100;

/** RFC 7644 §3.4.2.4: startIndex < 1 is read as 1, a negative count as 0; count is capped. */
export function paging(params: { startIndex?: string; count?: string }): { startIndex: number; count: number } {
  const int = (v: string | undefined, name: string) => {
    if (v === undefined || v === '') return undefined;
    if (!/^-?\d{1,9}$/.test(v)) throw new ScimError(400, `${name} must be an integer.`, 'invalidValue');
    return Number(v);
  };
  const startIndex = Math.max(1, int(params.startIndex, 'startIndex') ?? 1);
  const count = Math.min(MAX_COUNT, Math.max(0, int(params.count, 'count') ?? MAX_COUNT));
  return { startIndex, count };
}

/**
 * Filters the tenant's provisioned users in memory with scim2-parse-filter (a directory's
 * provisioned set is small, and the filters it sends are mostly `userName eq "…"`), then pages.
 */
@QueryHandler(ScimListUsersQuery)
export class ScimListUsersHandler implements IQueryHandler<ScimListUsersQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly scim: ScimRepository,
  ) {}

  async execute({ tenantId, params, baseUrl }: ScimListUsersQuery): Promise<ScimListResponse> {
    const { startIndex, count } = paging(params);
    let test: (r: unknown) => boolean = () => true;
    if (params.filter !== undefined && params.filter !== '') {
      if (params.filter.length > 1000) throw new ScimError(400, 'The filter is too long.', 'invalidFilter');
      try {
        test = compileFilter(parseFilter(params.filter));
      } catch (error) {
        throw new ScimError(400, `The filter cannot be parsed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300), 'invalidFilter');
      }
    }
    const records = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.scim.listUsers(tx));
    const matching = records.map((r) => toScimUser(r, baseUrl)).filter((r) => test(r));
    const page = matching.slice(startIndex - 1, startIndex - 1 + count);
    return { schemas: [LIST_SCHEMA], totalResults: matching.length, startIndex, itemsPerPage: page.length, Resources: page };
  }
}
