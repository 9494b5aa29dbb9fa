import { Query } from '@nestjs/cqrs';
import type { JobDetail } from '../../repositories/job-detail.reader';
import type { LeadView } from '../../repositories/leads.sql';
import type { MessageView } from '../../repositories/messages.sql';

export interface ContactFieldServiceExport {
  /** Jobs for the contact, each with its visits, line items, notes and totals. */
  jobs: JobDetail[];
  /** Leads that became the contact. */
  leads: LeadView[];
  /** Customer messages (confirmations, reminders) planned or sent to the contact. */
  messages: MessageView[];
}

/** Everything field service holds about a contact, for an access request (ADR 0031). */
export class ExportContactFieldServiceQuery extends Query<ContactFieldServiceExport> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
  ) {
    super();
  }
}
