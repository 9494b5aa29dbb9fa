import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { TicketTimeline, TimelineEntry } from '../queries/ticket-timelines/ticket-timelines.query';
import { execute } from './execute';
import { timelinesSql, toCalendarSpec, type GroupCalendarRow, type TimelineEntryRow, type TimelineTicketRow } from './timelines.sql';

const iso = (d: Date) => new Date(d).toISOString();

const toEntry = (r: TimelineEntryRow): TimelineEntry => ({
  position: Number(r.position),
  action: r.action,
  actorType: r.actor_type,
  at: iso(r.created_at),
  ...(r.status ? { status: { from: r.status.from ?? null, to: r.status.to ?? null } } : {}),
  ...(r.custom_status ? { customStatusId: { from: r.custom_status.from ?? null, to: r.custom_status.to ?? null } } : {}),
  ...(r.assignee ? { assigneeId: { from: r.assignee.from ?? null, to: r.assignee.to ?? null } } : {}),
  ...(r.grp ? { groupId: { from: r.grp.from ?? null, to: r.grp.to ?? null } } : {}),
  ...(r.message ? { message: { visibility: r.message.visibility, authorType: r.message.authorType } } : {}),
});

/** Tickets' timelines for reporting (SQL in `timelines.sql.ts`), in the caller's transaction. */
@Injectable()
export class TimelinesRepository {
  async read(tx: TenantTx, selection: { ids: readonly string[] } | { after: string | null; limit: number }): Promise<TicketTimeline[]> {
    const tickets = await execute<TimelineTicketRow[]>(
      tx,
      'ids' in selection ? timelinesSql.ticketsByIds(tx.tenantId, selection.ids) : timelinesSql.ticketsAfter(tx.tenantId, selection.after, selection.limit),
    );
    if (tickets.length === 0) return [];
    const ids = tickets.map((t) => t.id);
    const groups = [...new Set(tickets.map((t) => t.group_id).filter((g): g is string => g !== null))];
    const [entries, calendars] = await Promise.all([
      execute<TimelineEntryRow[]>(tx, timelinesSql.entries(tx.tenantId, ids)),
      groups.length > 0 ? execute<GroupCalendarRow[]>(tx, timelinesSql.groupCalendars(tx.tenantId, groups)) : Promise.resolve([]),
    ]);
    const byTicket = new Map<string, TimelineEntry[]>(ids.map((id) => [id, []]));
    for (const e of entries) byTicket.get(e.owner)?.push(toEntry(e));
    const calendarOf = new Map(calendars.map((c) => [c.group_id, toCalendarSpec(c)]));
    return tickets.map((t) => ({
      ticketId: t.id,
      deleted: t.deleted,
      createdAt: iso(t.created_at),
      status: t.status,
      customStatusId: t.custom_status_id,
      groupId: t.group_id,
      assigneeId: t.assignee_id,
      channel: t.channel,
      priority: t.priority,
      tags: t.tags ?? [],
      calendar: t.group_id ? (calendarOf.get(t.group_id) ?? null) : null,
      entries: byTicket.get(t.id)!,
    }));
  }
}
