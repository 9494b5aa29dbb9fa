import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { TicketView } from '../../repositories/tickets.sql';
import type { SlaStateFilter } from '../../sla/domain/sla-state';

export interface TicketFilter {
  status?: string[];
  /** One of the tenant's custom statuses. */
  customStatusId?: string;
  priority?: string;
  type?: string;
  channel?: string;
  /** A member's id, or `none` for unassigned tickets. */
  assigneeId?: string;
  /** A group's id, or `none` for tickets in no group. */
  groupId?: string;
  requesterId?: string;
  tag?: string;
  q?: string;
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  /** Custom field conditions as sent (`<key>:<op>:<value>`); the handler resolves them against the tenant's fields. */
  field?: string[];
  /** breached, at_risk, active, paused or none (ADR 0045). */
  slaState?: SlaStateFilter;
  /** `field:<key>` sorts by a custom field; `slaBreachAt` by the next SLA deadline (tickets without one last). */
  sort: 'createdAt' | 'updatedAt' | 'slaBreachAt' | `field:${string}`;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export class ListTicketsQuery extends Query<Page<TicketView>> {
  constructor(
    readonly tenantId: string,
    readonly filter: TicketFilter,
  ) {
    super();
  }
}
