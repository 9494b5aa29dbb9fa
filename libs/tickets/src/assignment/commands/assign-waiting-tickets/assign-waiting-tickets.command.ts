import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';

export interface AssignmentTrigger {
  /** Groups whose queue may move (a ticket entered it, its policy or members changed). */
  groupIds?: readonly string[];
  /** Agents who may have room now (a ticket of theirs was solved or reassigned, they came online): every group of theirs with a policy. */
  agentIds?: readonly string[];
  /** Tickets that changed: their group, and their assignee's groups. */
  ticketIds?: readonly string[];
}

export interface AutoAssignment {
  ticketId: string;
  groupId: string;
  assigneeId: string;
}

/** Hands the waiting tickets of the groups concerned to eligible members, by each group's policy. */
export class AssignWaitingTicketsCommand extends Command<AutoAssignment[]> {
  constructor(
    readonly context: CommandContext,
    readonly trigger: AssignmentTrigger,
  ) {
    super();
  }
}
