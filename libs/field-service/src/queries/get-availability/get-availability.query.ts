import { Query } from '@nestjs/cqrs';
import type { UnavailabilityView, WorkingHoursView } from '../../repositories/availability.sql';

export interface Availability {
  technicianId: string;
  /** null: no working hours set, bookable any time. */
  workingHours: WorkingHoursView | null;
  unavailability: UnavailabilityView[];
}

/** A technician's working hours and the unavailability overlapping [from, to). */
export class GetAvailabilityQuery extends Query<Availability> {
  constructor(
    readonly tenantId: string,
    readonly technicianId: string,
    readonly from: Date,
    readonly to: Date,
  ) {
    super();
  }
}
