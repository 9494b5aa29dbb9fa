import { Query } from '@nestjs/cqrs';
import type { VisitView } from '../../repositories/visits.sql';
import type { JobStatus } from '../../domain/status';

export interface DispatchVisit extends VisitView {
  job: { id: string; title: string; status: JobStatus; contactId: string; addressId: string };
}

export interface DispatchTechnician {
  technicianId: string | null;
  visits: DispatchVisit[];
  /**
   * Free time within the technician's working hours that day, minus visits and unavailability
   * (travel-free); null when no working hours are set (bookable any time) and for unassigned visits.
   */
  gaps: { start: string; end: string }[] | null;
}

export interface DispatchDay {
  /** YYYY-MM-DD in the requested time zone. */
  date: string;
  /** Unassigned visits first (technicianId null), then one entry per technician with visits or working hours that day. */
  technicians: DispatchTechnician[];
}

export interface DispatchBoard {
  from: string;
  to: string;
  timeZone: string;
  days: DispatchDay[];
}

/** Visits not cancelled that overlap [from, to), by day and technician; `technicianId` narrows to one. */
export class DispatchBoardQuery extends Query<DispatchBoard> {
  constructor(
    readonly tenantId: string,
    readonly from: Date,
    readonly to: Date,
    readonly timeZone: string,
    readonly technicianId?: string,
  ) {
    super();
  }
}
