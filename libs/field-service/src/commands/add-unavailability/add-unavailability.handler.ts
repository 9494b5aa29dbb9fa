import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { unavailabilitySpan } from '../../domain/availability';
import { assertTechnicianUser } from '../../domain/references';
import { AvailabilityRepository } from '../../repositories/availability.repository';
import type { UnavailabilityView } from '../../repositories/availability.sql';
import { AddUnavailabilityCommand } from './add-unavailability.command';

/** Blocks a span of a technician's calendar (vacation, sick day, blocked slot); visits already booked stay. */
@CommandHandler(AddUnavailabilityCommand)
export class AddUnavailabilityHandler implements ICommandHandler<AddUnavailabilityCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly availability: AvailabilityRepository,
  ) {}

  async execute({ context, technicianId, input }: AddUnavailabilityCommand): Promise<UnavailabilityView> {
    const span = unavailabilitySpan(input);
    await assertTechnicianUser(this.queries, context.tenantId, technicianId);
    return this.tx.run(context, async (tx) => {
      const block = await this.availability.addUnavailability(tx, technicianId, span, context.actorId);
      await tx.audit({ action: 'field_service.unavailability_added', entityType: 'field_service_technician', entityId: technicianId, after: { ...block } });
      return block;
    });
  }
}
