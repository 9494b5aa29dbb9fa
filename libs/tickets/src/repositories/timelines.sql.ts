import type { Statement } from '@switchboard/platform';
import type { CalendarSpec, Holiday, OpeningInterval, Weekday } from '../sla/domain/business-calendar';

/**
 * What reporting reads of a ticket (ADR 0051): the ticket's dimensions now, and the history
 * entries that move its metrics — creation, updates, messages, its merge — each on the ticket it
 * was recorded on (a merge moves entries but keeps their origin). TimelinesRepository runs these.
 */
export const TIMELINE_ACTIONS = ['ticket.created', 'ticket.updated', 'ticket.message_added', 'ticket.merged'] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export interface TimelineTicketRow {
  id: string;
  status: string;
  custom_status_id: string | null;
  group_id: string | null;
  assignee_id: string | null;
  channel: string;
  priority: string;
  created_at: Date;
  deleted: boolean;
  tags: string[];
}

export interface TimelineEntryRow {
  owner: string;
  position: string;
  action: TimelineAction;
  actor_type: string;
  status: { from?: string | null; to?: string | null } | null;
  custom_status: { from?: string | null; to?: string | null } | null;
  assignee: { from?: string | null; to?: string | null } | null;
  grp: { from?: string | null; to?: string | null } | null;
  message: { visibility: 'public' | 'internal'; authorType: 'agent' | 'contact' | 'system' } | null;
  created_at: Date;
}

export interface GroupCalendarRow {
  group_id: string;
  time_zone: string;
  week: Partial<Record<Weekday, OpeningInterval[]>>;
  holidays: Holiday[];
}

export const toCalendarSpec = (r: GroupCalendarRow): CalendarSpec => ({ timeZone: r.time_zone, week: r.week, holidays: r.holidays });

const TICKET_COLUMNS = 'id, status, custom_status_id, group_id, assignee_id, channel, priority, created_at, deleted_at IS NOT NULL AS deleted, tags';

export const timelinesSql = {
  ticketsByIds: (tenantId: string, ids: readonly string[]): Statement => ({
    sql: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    params: [tenantId, ids],
  }),
  /** The next tickets in id order (deleted ones included), for a rebuild walking the tenant in batches. */
  ticketsAfter: (tenantId: string, after: string | null, limit: number): Statement => ({
    sql: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
    params: [tenantId, after, limit],
  }),
  /**
   * The entries recorded on these tickets, wherever a merge moved them, in the order they were
   * written: the ones still on their ticket (`ticket_events_ticket`) and the moved ones
   * (`ticket_events_origin`), each half on its own index.
   */
  entries: (tenantId: string, ids: readonly string[]): Statement => {
    const columns = `COALESCE(origin_ticket_id, ticket_id) AS owner, position, action, actor_type,
                 changes -> 'status' AS status, changes -> 'customStatusId' AS custom_status, changes -> 'assigneeId' AS assignee,
                 changes -> 'groupId' AS grp, changes -> 'message' -> 'to' AS message, created_at`;
    return {
      sql: `SELECT ${columns} FROM ticket_events WHERE tenant_id = $1 AND ticket_id = ANY($2::uuid[]) AND origin_ticket_id IS NULL AND action = ANY($3::text[])
            UNION ALL
            SELECT ${columns} FROM ticket_events WHERE tenant_id = $1 AND origin_ticket_id = ANY($2::uuid[]) AND action = ANY($3::text[])
            ORDER BY position`,
      params: [tenantId, ids, TIMELINE_ACTIONS],
    };
  },
  /** The business calendars of these groups (deleted groups and calendars included: past work ran on them). */
  groupCalendars: (tenantId: string, groupIds: readonly string[]): Statement => ({
    sql: `SELECT g.id AS group_id, c.time_zone, c.week, c.holidays FROM ticket_groups g
            JOIN business_calendars c ON c.tenant_id = g.tenant_id AND c.id = g.business_calendar_id
           WHERE g.tenant_id = $1 AND g.id = ANY($2::uuid[])`,
    params: [tenantId, groupIds],
  }),
};
