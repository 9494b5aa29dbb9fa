import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { AssignmentMode } from '../../domain/assignment-policy';

export interface AssignmentPolicyChanges {
  mode?: AssignmentMode;
  defaultCapacity?: number | null;
  /** Members' own capacities; null clears one (the group's applies). Members not named keep theirs. */
  members?: readonly { userId: string; capacity: number | null }[];
}

/** Sets a group's assignment policy; answers the new state version. */
export class SaveAssignmentPolicyCommand extends Command<{ version: number; changed: boolean }> {
  constructor(
    readonly context: CommandContext,
    readonly groupId: string,
    readonly changes: AssignmentPolicyChanges,
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
