import { Query } from '@nestjs/cqrs';

export interface ViewCountResult {
  viewId: string;
  count: number;
  /** More tickets than the count cap: show `count` as "count+". */
  capped: boolean;
}

/** Ticket counts of several views the caller sees, in one call (views they do not see are left out). */
export class CountViewsQuery extends Query<{ data: ViewCountResult[]; broken: { viewId: string; detail: string }[]; countedAt: string }> {
  constructor(
    readonly tenantId: string,
    readonly userId: string | null,
    readonly configures: boolean,
    readonly viewIds: string[],
  ) {
    super();
  }
}
