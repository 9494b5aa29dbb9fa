import { ProblemException } from '@switchboard/platform';
import type { TicketConditionFilter } from '../repositories/tickets.sql';

export const VIEW_SCOPES = ['personal', 'group', 'shared'] as const;
export type ViewScope = (typeof VIEW_SCOPES)[number];
export const VIEW_SORTS = ['createdAt', 'updatedAt', 'slaBreachAt'] as const;
/** createdAt, updatedAt, slaBreachAt (the next SLA deadline, tickets without one last), or `field:<key>` (a custom field, tickets without a value last). */
export type ViewSort = (typeof VIEW_SORTS)[number] | `field:${string}`;
export const VIEW_SORT_PATTERN = /^(createdAt|updatedAt|slaBreachAt|field:[a-z][a-z0-9_]{0,49})$/;

/** A tenant's sidebar stays readable; counting is per view, so the cap also bounds one counts call. */
export const MAX_VIEWS_PER_OWNER = 100;
/** One counts call counts at most this many views. */
export const MAX_COUNTED_VIEWS = 50;
/**
 * Counts stop at this many tickets (answered as `capped: true`, shown as "10,000+"): a view's count
 * then costs at most one bounded index range, whatever the tenant's size, so consoles can poll.
 */
export const COUNT_CAP = 10_000;

/**
 * What a view selects: the conditions `GET /v1/tickets` takes, where the assignee may be `me` (the
 * member looking) or `none`, the group may be `none`, and time windows may be relative ("updated in
 * the last 24 hours", "created more than 72 hours ago"), resolved when the view is read.
 */
export interface ViewFilter extends Omit<TicketConditionFilter, 'createdFrom' | 'createdTo' | 'updatedFrom' | 'updatedTo' | 'fields'> {
  /** Custom field conditions as `GET /v1/tickets` takes them (`<key>:<op>:<value>`), resolved against the tenant's fields when the view is read. */
  field?: string[];
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  createdWithinHours?: number;
  createdOlderThanHours?: number;
  updatedWithinHours?: number;
  updatedOlderThanHours?: number;
}

const HOUR = 3_600_000;
const later = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a > b ? a : b);
const earlier = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a < b ? a : b);

/**
 * The list conditions a view's filter means for one viewer now. `me` needs a signed-in member: an
 * API key reading a view that says "assigned to me" is told so (422) rather than shown nothing.
 */
export function resolveViewFilter(filter: ViewFilter, viewerId: string | null, now = new Date()): TicketConditionFilter {
  // Custom field conditions (`field`) are resolved by the caller against the tenant's fields.
  const { createdWithinHours, createdOlderThanHours, updatedWithinHours, updatedOlderThanHours, field: _field, ...rest } = filter;
  const ago = (hours: number | undefined) => (hours === undefined ? undefined : new Date(now.getTime() - hours * HOUR).toISOString());
  const resolved: TicketConditionFilter = {
    ...rest,
    createdFrom: later(filter.createdFrom, ago(createdWithinHours)),
    createdTo: earlier(filter.createdTo, ago(createdOlderThanHours)),
    updatedFrom: later(filter.updatedFrom, ago(updatedWithinHours)),
    updatedTo: earlier(filter.updatedTo, ago(updatedOlderThanHours)),
  };
  if (filter.assigneeId === 'me') {
    if (!viewerId) {
      throw new ProblemException({
        status: 422,
        type: 'view-needs-member',
        title: 'Unprocessable Content',
        detail: 'This view selects tickets assigned to "me"; read it signed in as a member, not with an API key.',
      });
    }
    resolved.assigneeId = viewerId;
  }
  for (const key of Object.keys(resolved) as (keyof TicketConditionFilter)[]) if (resolved[key] === undefined) delete resolved[key];
  return resolved;
}

/** A view's scope decides who owns it: a personal view its creator, a group view a group, a shared view the tenant. */
export function assertScopeShape(scope: ViewScope, groupId: string | null | undefined): void {
  if (scope === 'group' && !groupId) throw invalidView('groupId', 'A group view names the group whose members see it (groupId).');
  if (scope !== 'group' && groupId) throw invalidView('groupId', `Only a group view names a group; this view is ${scope}.`);
}

export const invalidView = (field: string, detail: string) =>
  new ProblemException({ status: 422, type: 'validation', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

/** Personal views are their owner's to change; group and shared views are set up by owners and admins. */
export function assertMayManage(scope: ViewScope, ownerId: string | null, actorId: string | null, configures: boolean): void {
  if (scope === 'personal' ? ownerId !== null && ownerId === actorId : configures) return;
  throw new ProblemException({
    status: 403,
    type: 'forbidden',
    title: 'Forbidden',
    detail:
      scope === 'personal'
        ? 'A personal view belongs to the member who made it; only they change it.'
        : `${scope === 'group' ? 'Group' : 'Shared'} views are set up by owners and admins (permission tickets:configure); make a personal view instead.`,
  });
}
