import { ProblemException, staleVersion } from '@switchboard/platform';
import type { Identity } from './identities';

/** The If-Match check: the caller saw an older version. */
export function assertVersion(expected: number | null, actual: number, what: string): void {
  if (expected !== null && expected !== actual) {
    throw staleVersion(what, expected, actual);
  }
}

export const unknownOrganization = (organizationId: string) =>
  new ProblemException({
    status: 422,
    type: 'invalid-reference',
    title: 'Unprocessable Content',
    detail: `Organization ${organizationId} does not exist.`,
    errors: [{ field: 'organizationId', message: 'must reference an existing organization' }],
  });

/** An email, phone or chat id belongs to one contact at most; this names the ones another contact holds. */
export const identitiesTaken = (taken: Identity[]) =>
  new ProblemException({
    status: 409,
    type: 'identity-taken',
    title: 'Conflict',
    detail: `Another contact already has ${taken.map((t) => `${t.kind} ${t.value}`).join(', ')}.`,
    errors: taken.map((t) => ({ field: t.kind === 'email' ? 'emails' : t.kind === 'phone' ? 'phones' : 'channelIdentities', message: `${t.value} belongs to another contact` })),
  });
