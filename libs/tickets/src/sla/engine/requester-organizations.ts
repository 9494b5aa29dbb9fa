import type { QueryBus } from '@nestjs/cqrs';
import { GetContactQuery } from '@switchboard/customers';
import { ProblemException } from '@switchboard/platform';
import type { OrganizationLookup } from './recompute-sla';

/**
 * The requesters' organizations through the customers context's own query (the contact is its
 * record; a contact gone, or erased, has none). Called only when an active policy names
 * organizations, once per distinct requester of a batch.
 */
export const requesterOrganizations =
  (queries: QueryBus, tenantId: string): OrganizationLookup =>
  async (contactIds) => {
    const out = new Map<string, string | null>();
    for (const id of contactIds) {
      const contact = await queries.execute(new GetContactQuery(tenantId, id)).catch((error: unknown) => {
        if (error instanceof ProblemException && error.problem.status === 404) return undefined;
        throw error;
      });
      out.set(id, contact?.organizationId ?? null);
    }
    return out;
  };
