import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { ServicesRepository } from '../../repositories/services.repository';
import { DeleteServiceCommand } from './delete-service.command';

/** Takes a service out of the catalog; it stays in the database so line items that used it keep their reference. */
@CommandHandler(DeleteServiceCommand)
export class DeleteServiceHandler implements ICommandHandler<DeleteServiceCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly services: ServicesRepository,
  ) {}

  execute({ context, serviceId }: DeleteServiceCommand): Promise<void> {
    return this.tx.run(context, async (tx) => {
      const before = await this.services.find(tx, serviceId, { lock: true, live: true });
      if (!before) throw notFound('Service', serviceId);
      await this.services.softDelete(tx, serviceId);
      await tx.audit({ action: 'field_service.service_deleted', entityType: 'field_service_service', entityId: serviceId, before: { name: before.name, active: before.active } });
    });
  }
}
