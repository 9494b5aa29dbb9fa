import { ProblemException } from '@switchboard/platform';

/** 422 for a value that is well-formed but breaks a field-service rule. */
export const unprocessable = (field: string, detail: string, type = 'validation-failed') =>
  new ProblemException({ status: 422, type, title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

/** 409 naming the state that refused the change, so a client can reload and decide. */
export const conflict = (type: string, detail: string, extensions: Record<string, unknown> = {}) =>
  new ProblemException({ status: 409, type, title: 'Conflict', detail, extensions });

/** The technician already has a visit overlapping this one. */
export const doubleBooked = (technicianId: string, conflictingVisitId: string | null) =>
  conflict(
    'double-booking',
    conflictingVisitId
      ? `Technician ${technicianId} already has visit ${conflictingVisitId} at an overlapping time.`
      : `Technician ${technicianId} already has a visit at an overlapping time.`,
    { conflictingVisitId },
  );
