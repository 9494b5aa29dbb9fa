import { Query } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TicketChanges } from '../../../commands/update-ticket/update-ticket.command';
import type { TicketView } from '../../../repositories/tickets.sql';
import type { TriggerFiring } from '../../domain/trigger-passes';

export interface ProposedChange {
  changes: TicketChanges;
  message?: { body: string; visibility: 'public' | 'internal'; author: 'agent' | 'requester' };
}

/** An unsaved trigger to try: conditions and actions as `POST /v1/triggers` takes them. */
export interface UnsavedRule {
  id?: string;
  name: string;
  conditions: unknown;
  actions: unknown;
}

export interface DryRunResult {
  ticketId: string;
  /** The ticket as it would be after the change and every firing. */
  ticket: TicketView;
  firings: TriggerFiring[];
  capped: { passes: number; pending: string[] } | null;
}

/** Which triggers a change would fire, in order, and what each would change — the change is carried out and rolled back, so nothing is written. */
export class DryRunTriggersQuery extends Query<DryRunResult> {
  constructor(
    readonly context: CommandContext,
    readonly ticketId: string,
    readonly proposed: ProposedChange,
    /** Instead of the saved triggers; null: the tenant's active triggers. */
    readonly rules: UnsavedRule[] | null,
  ) {
    super();
  }
}
