import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { AvailabilityRepository } from '../../repositories/availability.repository';
import { RemoveUnavailabilityCommand } from './remove-unavailability.command';

/** Frees a span again; another tenant's or another technician's id answers 404. */
@CommandHandler(RemoveUnavailabilityCommand)
export class RemoveUnavailabilityHandler implements ICommandHandler<RemoveUnavailabilityCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly availability: AvailabilityRepository,
  ) {}

  execute({ context, technicianId, unavailabilityId }: RemoveUnavailabilityCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const gone = await this.availability.removeUnavailability(tx, technicianId, unavailabilityId);
      if (!gone) throw notFound('Unavailability', unavailabilityId);
      await tx.audit({ action: 'field_service.unavailability_removed', entityType: 'field_service_technician', entityId: technicianId, before: { ...gone } });
    });
  }
}
