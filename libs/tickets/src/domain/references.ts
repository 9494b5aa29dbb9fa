import { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { ProblemException } from '@switchboard/platform';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import { ASSIGNABLE_ROLES } from './ticket';

const unprocessable = (field: string, detail: string) =>
  new ProblemException({ status: 422, type: 'invalid-reference', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

/** A requester must be a live contact of this tenant; another tenant's id looks like no contact at all. */
export async function assertRequester(queries: QueryBus, tenantId: string, contactId: string, field = 'requesterId'): Promise<void> {
  try {
    await queries.execute(new GetContactQuery(tenantId, contactId));
  } catch (error) {
    if (error instanceof ProblemException && error.problem.status === 404) throw unprocessable(field, `Contact ${contactId} does not exist.`);
    throw error;
  }
}

/** Tickets are owned by people who work them: owners, admins and agents of this tenant. */
export async function assertAssignee(queries: QueryBus, tenantId: string, userId: string, field = 'assigneeId'): Promise<void> {
  const role = await queries.execute(new GetMemberRoleQuery(tenantId, userId));
  if (!role) throw unprocessable(field, `User ${userId} is not a member of this tenant.`);
  if (!(ASSIGNABLE_ROLES as readonly string[]).includes(role)) throw unprocessable(field, `A ${role} cannot be assigned tickets; choose an owner, admin or agent.`);
}
