import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { AgentPresenceReader, TenantTransaction, type TenantTx } from '@switchboard/platform';
import { applyTicketChanges } from '../../../commands/update-ticket/update-ticket.handler';
import { GroupsRepository } from '../../../repositories/groups.repository';
import { TicketsRepository } from '../../../repositories/tickets.repository';
import { modeOf, selectAgent, type Candidate } from '../../domain/assignment-policy';
import { AssignmentRepository } from '../../repositories/assignment.repository';
import { AssignWaitingTicketsCommand, type AutoAssignment } from './assign-waiting-tickets.command';

/** Tickets handed out per group in one transaction; the assignments' own events do not re-trigger, so a longer queue moves on the next trigger. */
export const MAX_ASSIGNMENTS_PER_RUN = 100;

/**
 * Automatic assignment. Presence is read from Redis first (never inside a transaction); then,
 * in one transaction: the groups' state rows are locked in id order, then every member agent
 * (advisory locks, sorted), and only then are loads counted, so two transactions can never both
 * see the same free slot. Waiting tickets are taken priority first, then oldest, skipping rows
 * another transaction holds. Each assignment goes through the ticket's ordinary change path
 * (history, audit, `TicketAssigned` pushed to consoles) by the system actor, plus a history entry
 * naming the policy.
 */
@CommandHandler(AssignWaitingTicketsCommand)
export class AssignWaitingTicketsHandler implements ICommandHandler<AssignWaitingTicketsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly presence: AgentPresenceReader,
    private readonly queries: QueryBus,
    private readonly tickets: TicketsRepository,
    private readonly groups: GroupsRepository,
    private readonly assignment: AssignmentRepository,
  ) {}

  async execute({ context, trigger }: AssignWaitingTicketsCommand): Promise<AutoAssignment[]> {
    const presence = await this.presence.statuses(context.tenantId);
    const system = { tenantId: context.tenantId, actorId: null, actorType: 'system' as const, correlationId: context.correlationId };
    return this.tx.run(system, async (tx) => {
      const groupIds = await this.groupsConcerned(tx, trigger);
      const states = await this.assignment.states(tx, groupIds, { lock: true, withPolicyOnly: true });
      if (states.length === 0) return [];
      const memberIds = new Set<string>();
      for (const state of states) for (const m of await this.assignment.members(tx, state.groupId)) memberIds.add(m.user_id);
      await this.assignment.lockAgents(tx, [...memberIds]);

      const loads = new Map<string, number>();
      const done: AutoAssignment[] = [];
      for (const state of states) {
        const mode = modeOf(state.mode);
        if (mode === 'none') continue;
        const candidates: Candidate[] = (await this.assignment.members(tx, state.groupId))
          .filter((m) => memberIds.has(m.user_id))
          .map((m) => ({ userId: m.user_id, load: loads.get(m.user_id) ?? m.load, capacity: m.capacity ?? state.defaultCapacity, presence: presence.get(m.user_id) ?? 'offline' }));
        if (!candidates.some((c) => selectAgent(mode, [c], null) !== null)) continue;
        let cursor = state.cursor;
        let assigned = 0;
        for (const ticketId of await this.assignment.waiting(tx, state.groupId, MAX_ASSIGNMENTS_PER_RUN)) {
          const agentId = selectAgent(mode, candidates, cursor);
          if (!agentId) break;
          await applyTicketChanges(tx, { queries: this.queries, tickets: this.tickets, groups: this.groups }, ticketId, { assigneeId: agentId }, null);
          await this.tickets.recordHistory(tx, ticketId, 'ticket.auto_assigned', { assigneeId: { from: null, to: agentId }, assignmentPolicy: { to: mode } });
          const agent = candidates.find((c) => c.userId === agentId)!;
          agent.load += 1;
          loads.set(agentId, agent.load);
          cursor = agentId;
          assigned += 1;
          done.push({ ticketId, groupId: state.groupId, assigneeId: agentId });
        }
        if (assigned > 0) await this.assignment.advanceCursor(tx, state.groupId, cursor!, assigned);
      }
      return done;
    });
  }

  private async groupsConcerned(tx: TenantTx, trigger: AssignWaitingTicketsCommand['trigger']): Promise<string[]> {
    const groups = new Set(trigger.groupIds ?? []);
    const agents = new Set(trigger.agentIds ?? []);
    for (const ticketId of trigger.ticketIds ?? []) {
      const ticket = await this.tickets.find(tx, ticketId);
      if (ticket?.groupId) groups.add(ticket.groupId);
      if (ticket?.assigneeId) agents.add(ticket.assigneeId);
    }
    for (const id of await this.assignment.groupsOf(tx, [...agents])) groups.add(id);
    return [...groups].sort();
  }
}
