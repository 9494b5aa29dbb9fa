import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { ExternalLinksRepository } from '../../repositories/external-links.repository';
import type { ExternalLinkView } from '../../repositories/external-links.sql';
import { TicketsRepository } from '../../repositories/tickets.repository';
import { ExternalLinkChanged } from '../../tickets.context';
import { UpsertExternalLinkCommand } from './upsert-external-link.command';

/**
 * Links to work tracked elsewhere are written by integrations only (an API key with the
 * `tickets:links` scope), so what agents see on the ticket mirrors the other system and is never
 * edited by hand. Idempotent on (ticket, kind, system, external id): the same upsert twice changes
 * nothing but the version.
 */
@CommandHandler(UpsertExternalLinkCommand)
export class UpsertExternalLinkHandler implements ICommandHandler<UpsertExternalLinkCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly tickets: TicketsRepository,
    private readonly links: ExternalLinksRepository,
  ) {}

  execute({ context, ticketId, fields, linkId }: UpsertExternalLinkCommand): Promise<{ link: ExternalLinkView | null; created: boolean }> {
    if (context.actorType !== 'api_key') {
      throw new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail: 'Links to outside work are written by integrations: use an API key with the tickets:links scope.' });
    }
    return this.tx.run(context, async (tx) => {
      if (!(await this.tickets.find(tx, ticketId))) throw notFound('Ticket', ticketId);
      if (fields === null) {
        const gone = await this.links.delete(tx, ticketId, linkId!);
        if (!gone) throw notFound('External link', linkId!);
        await this.tickets.recordHistory(tx, ticketId, 'ticket.external_link_removed', { externalLink: { from: { kind: gone.kind, system: gone.system, externalId: gone.external_id } } });
        await tx.audit({ action: 'ticket.external_link_removed', entityType: 'ticket', entityId: ticketId, before: { linkId, kind: gone.kind, system: gone.system, externalId: gone.external_id } });
        await tx.emit(ExternalLinkChanged.of(ticketId, { link: null, linkId: linkId!, action: 'deleted' }));
        return { link: null, created: false };
      }
      const { link, created } = await this.links.upsert(tx, ticketId, fields, context.actorId);
      const summary = { kind: link.kind, system: link.system, externalId: link.externalId, status: link.status };
      await this.tickets.recordHistory(tx, ticketId, created ? 'ticket.external_link_added' : 'ticket.external_link_updated', { externalLink: { to: summary } });
      await tx.audit({ action: created ? 'ticket.external_link_added' : 'ticket.external_link_updated', entityType: 'ticket', entityId: ticketId, after: { linkId: link.id, ...summary } });
      await tx.emit(ExternalLinkChanged.of(ticketId, { link, linkId: link.id, action: created ? 'created' : 'updated' }));
      return { link, created };
    });
  }
}
