import { Query } from '@nestjs/cqrs';
import type { CalendarSpec } from '../../sla/domain/business-calendar';
import type { TimelineAction } from '../../repositories/timelines.sql';

type Change = { from: string | null; to: string | null };

/** One history entry that moves a ticket's metrics, at the instant it was written. */
export interface TimelineEntry {
  /** Its place in the tenant's history: entries of one ticket sort by it. */
  position: number;
  action: TimelineAction;
  /** Who wrote it: `user` (an agent or admin), `api_key`, `system`, … */
  actorType: string;
  at: string;
  status?: Change;
  customStatusId?: Change;
  assigneeId?: Change;
  groupId?: Change;
  message?: { visibility: 'public' | 'internal'; authorType: 'agent' | 'contact' | 'system' };
}

/** A ticket as reporting computes its metrics from it: its dimensions now, its group's business calendar, and its entries. */
export interface TicketTimeline {
  ticketId: string;
  deleted: boolean;
  createdAt: string;
  status: string;
  customStatusId: string | null;
  groupId: string | null;
  assigneeId: string | null;
  channel: string;
  priority: string;
  /** The ticket's tags now (reports break figures down by tag). */
  tags?: string[];
  /** The business calendar of the ticket's group; null when the group has none (or there is no group). */
  calendar: CalendarSpec | null;
  entries: TimelineEntry[];
}

/**
 * Timelines of the given tickets, or of the next `limit` tickets after `after` in id order (a
 * rebuild's batch). Inside a caller's tenant transaction it reads in that transaction.
 */
export class TicketTimelinesQuery extends Query<TicketTimeline[]> {
  constructor(
    readonly tenantId: string,
    readonly selection: { ids: readonly string[] } | { after: string | null; limit: number },
  ) {
    super();
  }
}
