import type { CommandContext } from '@switchboard/platform';

/** How many seats (members plus pending invitations) a tenant may fill, and the plan that says so. */
export interface SeatLimit {
  /** null: unlimited. */
  limit: number | null;
  /** The plan's display name, for the refusal. */
  plan: string;
}

/**
 * Tenancy's extension point for seat limits: a context that sells plans (billing) provides it;
 * without a provider, invitations are unlimited. Tenancy never names that context.
 */
export interface SeatLimitPolicy {
  seatLimit(context: CommandContext): Promise<SeatLimit>;
}

export const SEAT_LIMIT_POLICY = Symbol.for('switchboard.tenancy.seat-limit-policy');
