import { QueryBus } from '@nestjs/cqrs';
import { GetAddressQuery, GetContactQuery } from '@switchboard/customers';
import { GetMemberRoleQuery } from '@switchboard/tenancy';
import { GetTicketQuery } from '@switchboard/tickets';
import { notFound } from '@switchboard/platform';
import { unprocessable } from './problems';

/**
 * The contact and the address must exist in this tenant (another tenant's id answers 404, as a
 * missing one does), and the address must be one of the contact's.
 */
export async function assertContactAddress(queries: QueryBus, tenantId: string, contactId: string, addressId: string): Promise<void> {
  await queries.execute(new GetContactQuery(tenantId, contactId));
  const address = await queries.execute(new GetAddressQuery(tenantId, addressId));
  if (address.contactId !== contactId) throw unprocessable('addressId', `Address ${addressId} is not an address of contact ${contactId}.`, 'invalid-reference');
}

/** A linked ticket must exist in this tenant (404 otherwise). */
export async function assertTicket(queries: QueryBus, tenantId: string, ticketId: string): Promise<void> {
  await queries.execute(new GetTicketQuery(tenantId, ticketId));
}

/** Visits are done by members of this tenant who hold the technician role. */
export async function assertTechnician(queries: QueryBus, tenantId: string, userId: string, field = 'technicianId'): Promise<void> {
  const role = await queries.execute(new GetMemberRoleQuery(tenantId, userId));
  if (!role) throw unprocessable(field, `User ${userId} is not a member of this tenant.`, 'invalid-reference');
  if (role !== 'technician') throw unprocessable(field, `User ${userId} is a${/^[aeiou]/.test(role) ? 'n' : ''} ${role}, not a technician; only technicians are assigned visits.`, 'invalid-reference');
}

/** The technician whose calendar is read or changed: another tenant's (or no) user is 404, a member of another role 422. */
export async function assertTechnicianUser(queries: QueryBus, tenantId: string, userId: string): Promise<void> {
  const role = await queries.execute(new GetMemberRoleQuery(tenantId, userId));
  if (!role) throw notFound('Technician', userId);
  await assertTechnician(queries, tenantId, userId, 'userId');
}
