import { AssignWaitingTicketsHandler } from './commands/assign-waiting-tickets/assign-waiting-tickets.handler';
import { SaveAssignmentPolicyHandler } from './commands/save-assignment-policy/save-assignment-policy.handler';
import { AssignOnAgentOnline, AssignOnTicketChange } from './event-handlers/assign-on-change';
import { AssignmentController } from './http/assignment.controller';
import { GetGroupAssignmentHandler } from './queries/get-group-assignment/get-group-assignment.handler';
import { AssignmentRepository } from './repositories/assignment.repository';

/** The assignment sub-area's providers and controllers, listed by the tickets modules. */
export const ASSIGNMENT_PROVIDERS = [AssignmentRepository, AssignWaitingTicketsHandler, SaveAssignmentPolicyHandler, GetGroupAssignmentHandler, AssignOnTicketChange, AssignOnAgentOnline];
export const ASSIGNMENT_CONTROLLERS = [AssignmentController];
