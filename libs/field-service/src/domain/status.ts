import { conflict } from './problems';

export const JOB_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const VISIT_STATUSES = ['scheduled', 'in_progress', 'completed', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/**
 * Where a job may go from each status. A job starts when its first visit is clocked in. A review
 * step before `completed` (a close-out the technician confirms) slots in as one more status
 * between `in_progress` and `completed` without changing the others.
 */
const JOB_TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  scheduled: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** Clock-in starts a visit, clock-out completes it; only a visit not yet started can be cancelled. */
const VISIT_TRANSITIONS: Record<VisitStatus, readonly VisitStatus[]> = {
  scheduled: ['in_progress', 'cancelled'],
  in_progress: ['completed'],
  completed: [],
  cancelled: [],
};

export const canMoveJob = (from: JobStatus, to: JobStatus): boolean => JOB_TRANSITIONS[from].includes(to);
export const canMoveVisit = (from: VisitStatus, to: VisitStatus): boolean => VISIT_TRANSITIONS[from].includes(to);

export function assertJobTransition(jobId: string, from: JobStatus, to: JobStatus): void {
  if (!canMoveJob(from, to)) {
    throw conflict('invalid-transition', `Job ${jobId} is ${from}; it cannot become ${to}.`, { currentStatus: from });
  }
}

export function assertVisitTransition(visitId: string, from: VisitStatus, to: VisitStatus): void {
  if (canMoveVisit(from, to)) return;
  const detail =
    to === 'in_progress' && from === 'in_progress'
      ? `Visit ${visitId} is already clocked in.`
      : to === 'completed' && from === 'scheduled'
        ? `Visit ${visitId} is not clocked in yet; clock in first.`
        : `Visit ${visitId} is ${from}; it cannot become ${to}.`;
  throw conflict('invalid-transition', detail, { currentStatus: from });
}

/** Completed and cancelled jobs are closed: nothing about them changes any more. */
export function assertJobOpen(jobId: string, status: JobStatus): void {
  if (status === 'completed' || status === 'cancelled') {
    throw conflict('job-closed', `Job ${jobId} is ${status}; it can no longer be changed.`, { currentStatus: status });
  }
}

/** Changing when or by whom a visit happens is only possible before it starts. */
export function assertVisitPlannable(visitId: string, status: VisitStatus): void {
  if (status !== 'scheduled') {
    throw conflict('invalid-transition', `Visit ${visitId} is ${status}; only a scheduled visit can be rescheduled or reassigned.`, { currentStatus: status });
  }
}
