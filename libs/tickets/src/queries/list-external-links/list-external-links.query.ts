import { Query } from '@nestjs/cqrs';
import type { ExternalLinkView } from '../../repositories/external-links.sql';

/** A ticket's links to outside work, most recently updated first. */
export class ListExternalLinksQuery extends Query<{ data: ExternalLinkView[] }> {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {
    super();
  }
}
