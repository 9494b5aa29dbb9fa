import { Query } from '@nestjs/cqrs';
import type { AttachmentView } from '../../repositories/attachments.sql';
import type { MessageView } from '../../repositories/messages.sql';
import type { TicketView } from '../../repositories/tickets.sql';

export interface ContactTicketsExport {
  /** Tickets the contact requested, each with its whole conversation (internal notes included, marked by `visibility`) and its attachments' metadata. */
  tickets: (TicketView & { messages: MessageView[]; attachments: AttachmentView[] })[];
  /** Messages the contact wrote on tickets someone else requested (as a CC). */
  otherMessages: MessageView[];
}

/** Everything the tickets context holds about a contact, for an access request (ADR 0031). */
export class ExportContactTicketsQuery extends Query<ContactTicketsExport> {
  constructor(
    readonly tenantId: string,
    readonly contactId: string,
  ) {
    super();
  }
}
