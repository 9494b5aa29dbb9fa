import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { assertLeadOpen } from '../../domain/leads';
import { unprocessable } from '../../domain/problems';
import { LeadsRepository } from '../../repositories/leads.repository';
import type { LeadView } from '../../repositories/leads.sql';
import { DismissLeadCommand } from './dismiss-lead.command';

/** Only a new lead is dismissed; a converted or dismissed one answers 409 with its status. */
@CommandHandler(DismissLeadCommand)
export class DismissLeadHandler implements ICommandHandler<DismissLeadCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly leads: LeadsRepository,
  ) {}

  async execute({ context, leadId, reason }: DismissLeadCommand): Promise<LeadView> {
    const why = reason?.trim() || null;
    if (why && why.length > 500) throw unprocessable('reason', 'A dismissal reason is at most 500 characters.');
    return this.tx.run(context, async (tx) => {
      const lead = await this.leads.find(tx, leadId, true);
      if (!lead) throw notFound('Lead', leadId);
      assertLeadOpen(leadId, lead.status);
      const dismissed = (await this.leads.dismiss(tx, leadId, why))!;
      await tx.audit({ action: 'field_service.lead_dismissed', entityType: 'field_service_lead', entityId: leadId, before: { status: lead.status }, after: { status: 'dismissed', reason: why } });
      return dismissed;
    });
  }
}
