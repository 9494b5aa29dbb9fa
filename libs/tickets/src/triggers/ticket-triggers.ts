import type { TenantTx } from '@switchboard/platform';

/**
 * What the ticket commands call after their change, in their transaction: the triggers. A token
 * rather than the engine's class, because the engine applies its actions through those commands'
 * own functions (the class would make an import cycle).
 */
export const TICKET_TRIGGERS = Symbol('TICKET_TRIGGERS');

export interface TicketTriggers {
  /** Runs the triggers over what the transaction's events from `from` on changed; per ticket, the firings. */
  afterCommand(tx: TenantTx, from: number): Promise<ReadonlyMap<string, { firings: readonly unknown[] }>>;
}
