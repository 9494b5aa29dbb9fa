import { EventConsumer, OnEventSelfAcknowledged, TenantFiles, TenantTransaction, type CommandContext, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { PURGE_BATCH, TicketDeletionRepository } from '../repositories/deletion.repository';
import { CsatRepository } from '../repositories/csat.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { TicketDeleted, TicketsQueue } from '../tickets.context';

const CHILD_TABLES = ['ticket_messages', 'ticket_ai_suggestions', 'ticket_events'] as const;

/**
 * Purges a deleted ticket's content in batches, each its own short transaction, so a ticket with
 * thousands of messages never holds the database: attachments (file first, then row: a crash in
 * between removes an already missing file again), messages, AI suggestions, participants,
 * custom field values, its satisfaction survey and history. The last transaction leaves the tombstone (the row without its content, and one
 * `ticket.deleted` history entry naming who deleted it and when) together with the receipt.
 * Every step deletes by predicate, so a redelivery after a crash resumes where it stopped.
 */
@OnEventSelfAcknowledged(TicketDeleted, { queue: TicketsQueue, job: 'tickets.purge-deleted-ticket' })
export class PurgeDeletedTicketJob implements SelfAcknowledgingEventHandler<typeof TicketDeleted> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly consumer: EventConsumer,
    private readonly files: TenantFiles,
    private readonly deletion: TicketDeletionRepository,
    private readonly tickets: TicketsRepository,
    private readonly csat: CsatRepository,
  ) {}

  async handle(event: EnvelopeOf<typeof TicketDeleted>, consumer: string): Promise<void> {
    const context: CommandContext = { tenantId: event.tenantId, actorId: event.payload.deletedBy, actorType: 'system', correlationId: event.correlationId };
    const ticketId = event.aggregateId;
    for (;;) {
      const batch = await this.tx.run(context, (tx) => this.deletion.attachmentKeys(tx, ticketId));
      for (const { storageKey } of batch) await this.files.remove(event.tenantId, storageKey);
      await this.tx.run(context, (tx) => this.deletion.deleteAttachments(tx, batch.map((a) => a.id)));
      if (batch.length < PURGE_BATCH) break;
    }
    for (const table of CHILD_TABLES) {
      while ((await this.tx.run(context, (tx) => this.deletion.deleteChildren(tx, table, ticketId))) >= PURGE_BATCH);
    }
    await this.consumer.once(consumer, event, async (tx) => {
      await this.deletion.deleteParticipants(tx, { ticketId });
      await this.deletion.deleteFieldValues(tx, ticketId);
      await this.csat.deleteForTicket(tx, ticketId);
      if (await this.deletion.tombstone(tx, ticketId)) {
        await this.tickets.recordHistory(tx, ticketId, 'ticket.deleted', { deletedBy: { to: event.payload.deletedBy }, deletedAt: { to: event.payload.deletedAt } });
      }
    });
  }
}
