import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { cleanLeadFields, leadNotes } from '../../domain/leads';
import { unprocessable } from '../../domain/problems';
import { LeadCreated } from '../../field-service.context';
import { LeadsRepository } from '../../repositories/leads.repository';
import type { LeadView } from '../../repositories/leads.sql';
import { ServicesRepository } from '../../repositories/services.repository';
import { CaptureLeadCommand } from './capture-lead.command';

/** Stores the lead as new; nothing is read from the notes until someone asks for suggestions. */
@CommandHandler(CaptureLeadCommand)
export class CaptureLeadHandler implements ICommandHandler<CaptureLeadCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly leads: LeadsRepository,
    private readonly services: ServicesRepository,
  ) {}

  async execute({ context, input }: CaptureLeadCommand): Promise<LeadView> {
    const notes = leadNotes(input.notes);
    const fields = cleanLeadFields(input);
    return this.tx.run(context, async (tx) => {
      const serviceId = input.serviceId ?? null;
      if (serviceId && !(await this.services.find(tx, serviceId, { live: true }))) throw unknownService(serviceId);
      const lead = await this.leads.insert(tx, { notes, fields, serviceId });
      await tx.audit({ action: 'field_service.lead_created', entityType: 'field_service_lead', entityId: lead.id, after: { fields, serviceId } });
      await tx.emit(LeadCreated.of(lead.id, { hasEmail: Boolean(fields.email), hasPhone: Boolean(fields.phone), serviceId }));
      return lead;
    });
  }
}

/** A service id that is not in this tenant's live catalog (another tenant's included). */
export const unknownService = (serviceId: string, field = 'serviceId') => unprocessable(field, `Service ${serviceId} is not in the service catalog.`, 'invalid-reference');
