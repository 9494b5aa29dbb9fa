import { ProblemException } from '@switchboard/platform';

export const invalidField = (field: string, message: string) =>
  new ProblemException({ status: 422, type: 'validation', title: 'Unprocessable Content', detail: `${field} ${message}`, errors: [{ field, message }] });

export const MAX_ENDPOINTS_PER_TENANT = 20;

export const tooManyEndpoints = () =>
  new ProblemException({ status: 409, type: 'conflict', title: 'Conflict', detail: `A tenant may have at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints; delete one first.` });
