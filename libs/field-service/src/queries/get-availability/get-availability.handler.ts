import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { assertTechnicianUser } from '../../domain/references';
import { AvailabilityRepository } from '../../repositories/availability.repository';
import { GetAvailabilityQuery, type Availability } from './get-availability.query';

@QueryHandler(GetAvailabilityQuery)
export class GetAvailabilityHandler implements IQueryHandler<GetAvailabilityQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly availability: AvailabilityRepository,
  ) {}

  async execute({ tenantId, technicianId, from, to }: GetAvailabilityQuery): Promise<Availability> {
    await assertTechnicianUser(this.queries, tenantId, technicianId);
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) => {
      const [hours, unavailability] = await Promise.all([this.availability.hours(tx, technicianId), this.availability.unavailabilityBetween(tx, from, to, technicianId)]);
      return { technicianId, workingHours: hours ?? null, unavailability };
    });
  }
}
