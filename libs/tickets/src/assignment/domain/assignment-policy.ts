import type { PresenceStatus } from '@switchboard/platform';

export const ASSIGNMENT_MODES = ['none', 'round_robin', 'least_loaded'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** Statuses whose tickets an agent is working: they count against capacity, and only such unassigned tickets wait for an agent. */
export const LOAD_STATUSES = ['new', 'open'] as const;

/** The order waiting tickets are handed out in: priority first, then age. */
export const PRIORITY_RANK: Record<string, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export interface Candidate {
  userId: string;
  /** Their new and open tickets across the tenant. */
  load: number;
  /** The member's own capacity, else the group's; null is no limit. */
  capacity: number | null;
  presence: PresenceStatus;
}

export type Ineligibility = 'offline' | 'away' | 'at_capacity';

/** Why a member cannot take a ticket now, or null when they can. */
export function ineligibility(c: Candidate): Ineligibility | null {
  if (c.presence === 'offline') return 'offline';
  if (c.presence === 'away') return 'away';
  if (c.capacity !== null && c.load >= c.capacity) return 'at_capacity';
  return null;
}

/** The policy's mode from the group's stored value: anything unknown assigns nothing. */
export const modeOf = (stored: string | null): AssignmentMode => (stored === 'round_robin' || stored === 'least_loaded' ? stored : 'none');

/**
 * Who gets the next ticket. `members` is the group's stable order (when they joined, then id);
 * `cursor` is the member who got the previous one. Round robin takes the first eligible member
 * after the cursor, wrapping around; least loaded takes the eligible member with the fewest
 * tickets, ties going round the same circle from the cursor, so equal agents still take turns.
 */
export function selectAgent(mode: AssignmentMode, members: readonly Candidate[], cursor: string | null): string | null {
  if (mode === 'none' || members.length === 0) return null;
  const start = cursor === null ? 0 : members.findIndex((m) => m.userId === cursor) + 1;
  // A cursor naming someone who left the group restarts the circle at its head.
  const circle = members.map((_, i) => members[(start + i) % members.length]);
  const eligible = circle.filter((m) => ineligibility(m) === null);
  if (eligible.length === 0) return null;
  if (mode === 'round_robin') return eligible[0].userId;
  return eligible.reduce((best, m) => (m.load < best.load ? m : best)).userId;
}
