import type { PresenceStatus } from '@switchboard/platform';
import type { AssignmentMode, Ineligibility } from './assignment-policy';

/** A group's assignment policy and, for the console, where each member stands right now. */
export interface AssignmentOverview {
  groupId: string;
  mode: AssignmentMode;
  /** Capacity of members without their own; null is no limit. */
  defaultCapacity: number | null;
  /** Unassigned new and open tickets of the group. */
  waiting: number;
  /** The member who got the group's last automatic assignment. */
  lastAssigneeId: string | null;
  assignedCount: number;
  members: AssignmentMemberView[];
  version: number;
  updatedAt: string | null;
}

export interface AssignmentMemberView {
  userId: string;
  /** The member's own capacity (overrides the group's), or null. */
  capacity: number | null;
  effectiveCapacity: number | null;
  /** Their new and open tickets across the tenant. */
  load: number;
  presence: PresenceStatus;
  eligible: boolean;
  /** Why they are skipped, when they are. */
  reason: Ineligibility | null;
}
