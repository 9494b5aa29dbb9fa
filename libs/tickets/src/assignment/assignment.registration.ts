import { consoleEvent, defineEvent } from '@switchboard/platform';

/**
 * What the assignment part of the tickets context registers with the platform (spread into
 * `ticketsContext` in tickets.context.ts). Automatic assignments themselves are ordinary
 * `TicketAssigned` events by the system actor.
 */

/** A group's assignment policy changed (mode, default capacity, members' capacities): what was and what is. */
export const AssignmentPolicyChanged = defineEvent<{ before: Record<string, unknown>; after: Record<string, unknown>; version: number }>()('tickets.assignment_policy_changed', {
  aggregate: 'ticket_group',
});

export const ASSIGNMENT_EVENTS = [AssignmentPolicyChanged];

export const ASSIGNMENT_CONSOLE_EVENTS = [consoleEvent(AssignmentPolicyChanged, 'group.assignment_policy_changed', ({ aggregateId, payload }) => ({ ...payload, groupId: aggregateId }))];
