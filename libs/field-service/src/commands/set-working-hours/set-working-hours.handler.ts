import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { weeklyHours } from '../../domain/availability';
import { assertTimeZone } from '../../domain/dispatch';
import { assertTechnicianUser } from '../../domain/references';
import { AvailabilityRepository } from '../../repositories/availability.repository';
import type { WorkingHoursView } from '../../repositories/availability.sql';
import { SetWorkingHoursCommand } from './set-working-hours.command';

/** Replaces a technician's weekly working hours; existing visits are left as booked. */
@CommandHandler(SetWorkingHoursCommand)
export class SetWorkingHoursHandler implements ICommandHandler<SetWorkingHoursCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly availability: AvailabilityRepository,
  ) {}

  async execute({ context, technicianId, input }: SetWorkingHoursCommand): Promise<WorkingHoursView> {
    const weekly = weeklyHours(input.days ?? {});
    if (input.timeZone !== undefined) assertTimeZone(input.timeZone, 'timeZone');
    await assertTechnicianUser(this.queries, context.tenantId, technicianId);
    const timeZone = input.timeZone ?? (await this.queries.execute(new GetTenantQuery(context.tenantId))).timezone;
    return this.tx.run(context, async (tx) => {
      const before = await this.availability.hours(tx, technicianId);
      const after = await this.availability.setHours(tx, technicianId, { timeZone, weekly }, context.actorId);
      await tx.audit({
        action: 'field_service.working_hours_set',
        entityType: 'field_service_technician',
        entityId: technicianId,
        before: before ? { timeZone: before.timeZone, weekly: before.weekly } : undefined,
        after: { timeZone, weekly },
      });
      return after;
    });
  }
}
