import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { FindOrCreateContactCommand, ListAddressesQuery, SaveAddressCommand, type AddressView } from '@switchboard/customers';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertAddressFields, assertLeadOpen, cleanLeadFields, type LeadFields } from '../../domain/leads';
import { unprocessable } from '../../domain/problems';
import { LeadConverted } from '../../field-service.context';
import { LeadsRepository } from '../../repositories/leads.repository';
import type { LeadView } from '../../repositories/leads.sql';
import { ServicesRepository } from '../../repositories/services.repository';
import { CreateJobCommand } from '../create-job/create-job.command';
import { unknownService } from '../capture-lead/capture-lead.handler';
import { ConvertLeadCommand } from './convert-lead.command';

const ADDRESS_FIELDS = ['street', 'city', 'region', 'postalCode', 'country'] as const;
const same = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/** One of the contact's addresses with the same street, city, region, postal code and country (case and spacing aside). */
export const matchingAddress = (addresses: readonly AddressView[], fields: LeadFields) => addresses.find((a) => ADDRESS_FIELDS.every((k) => same(a[k], fields[k])));

/**
 * Turns a new lead into work in one transaction: the contact found by the confirmed email (or,
 * without one, the phone) through customers' find-or-create — the one a ticket's requester goes
 * through — or created; the address added unless the contact already has it; a job through the
 * ordinary create-job command. Those commands join this transaction, so a refusal anywhere (an
 * address of another contact, a job the catalog no longer allows) leaves nothing written.
 */
@CommandHandler(ConvertLeadCommand)
export class ConvertLeadHandler implements ICommandHandler<ConvertLeadCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly leads: LeadsRepository,
    private readonly services: ServicesRepository,
  ) {}

  async execute({ context, leadId, input }: ConvertLeadCommand): Promise<LeadView> {
    const fields = assertAddressFields(cleanLeadFields(input));
    if (!fields.email && !fields.phone) throw unprocessable('email', 'Converting a lead needs the contact’s email or phone.');
    const hasAddress = ADDRESS_FIELDS.some((k) => fields[k]);
    const serviceId = input.serviceId ?? null;
    const createJob = input.createJob ?? serviceId !== null;
    const jobTitle = input.jobTitle?.trim() || null;
    if (jobTitle && jobTitle.length > 300) throw unprocessable('jobTitle', 'A job title is at most 300 characters.');
    if (createJob && !hasAddress) throw unprocessable('street', 'A job needs an address: send at least the street or the city.');
    if (createJob && !serviceId && !jobTitle) throw unprocessable('jobTitle', 'A job without a service needs a jobTitle.');
    const label = input.addressLabel?.trim() || 'Home';
    if (label.length > 100) throw unprocessable('addressLabel', 'An address label is at most 100 characters.');

    return this.tx.run(context, async (tx) => {
      const lead = await this.leads.find(tx, leadId, true);
      if (!lead) throw notFound('Lead', leadId);
      assertLeadOpen(leadId, lead.status);
      const service = serviceId ? await this.services.find(tx, serviceId, { live: true }) : undefined;
      if (serviceId && !service) throw unknownService(serviceId);

      const identity = fields.email ? { email: fields.email } : { phone: fields.phone! };
      const found = await this.commands.execute(new FindOrCreateContactCommand(context, identity, fields.name ?? undefined));
      const contactId = found.contact.id;

      let addressId: string | null = null;
      let addressCreated = false;
      if (hasAddress) {
        const existing = found.created ? undefined : matchingAddress(await this.queries.execute(new ListAddressesQuery(context.tenantId, contactId)), fields);
        if (existing) addressId = existing.id;
        else {
          const added = await this.commands.execute(
            new SaveAddressCommand(context, contactId, null, { label, ...Object.fromEntries(ADDRESS_FIELDS.map((k) => [k, fields[k] ?? null])) }),
          );
          addressId = added!.id;
          addressCreated = true;
        }
      }

      let jobId: string | null = null;
      if (createJob) {
        const job = await this.commands.execute(
          new CreateJobCommand(context, { contactId, addressId: addressId!, title: jobTitle ?? service!.name, description: lead.notes.slice(0, 10_000) }),
        );
        jobId = job.id;
      }

      const converted = (await this.leads.convert(tx, leadId, { contactId, addressId, jobId, fields, serviceId }))!;
      const links = { contactId, contactCreated: found.created, addressId, addressCreated, jobId, serviceId };
      await tx.audit({ action: 'field_service.lead_converted', entityType: 'field_service_lead', entityId: leadId, before: { status: lead.status }, after: { status: 'converted', ...links } });
      await tx.emit(LeadConverted.of(leadId, links));
      return converted;
    });
  }
}
