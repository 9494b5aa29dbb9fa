import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ContactErasureRequested, GetErasureTermsQuery, RecordErasureStepCommand, type ErasureCounts } from '@switchboard/customers';
import { EventConsumer, OnEventSelfAcknowledged, TenantFiles, TenantTransaction, type CommandContext, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { PURGE_BATCH, REDACT_BATCH_DONE, TICKET_REDACTABLE, TicketDeletionRepository } from '../repositories/deletion.repository';
import { CsatRepository } from '../repositories/csat.repository';
import { TicketsQueue } from '../tickets.context';

/**
 * The tickets context's part of a contact erasure (ADR 0031). Tickets the contact requested stay
 * (numbers, statuses and times feed reports and SLAs), but: messages the contact wrote become a
 * placeholder; the contact's emails, phones, chat ids and full name are redacted wherever they
 * appear in subjects, messages (agents quote them), history, attachment names and AI suggestions;
 * AI suggestions on their tickets and the attachments on them (files too) are deleted, and so
 * are the comments of their satisfaction ratings (the ratings stay); they stop
 * being a participant anywhere. Every batch is its own transaction and idempotent by its
 * predicate, so a crash resumes; the receipt is written after the report to customers.
 */
@OnEventSelfAcknowledged(ContactErasureRequested, { queue: TicketsQueue, job: 'tickets.erase-contact' })
export class EraseContactFromTicketsJob implements SelfAcknowledgingEventHandler<typeof ContactErasureRequested> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly consumer: EventConsumer,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly files: TenantFiles,
    private readonly deletion: TicketDeletionRepository,
    private readonly csat: CsatRepository,
  ) {}

  async handle(event: EnvelopeOf<typeof ContactErasureRequested>, consumer: string): Promise<void> {
    const { erasureId, contactId } = event.payload;
    const context: CommandContext = { tenantId: event.tenantId, actorId: event.actorId, actorType: 'system', correlationId: event.correlationId };
    const terms = await this.queries.execute(new GetErasureTermsQuery(event.tenantId, erasureId));
    if (terms && !terms.completed) {
      const counts = await this.erase(context, contactId, terms.pattern);
      await this.commands.execute(new RecordErasureStepCommand(context, erasureId, 'tickets', counts));
    }
    await this.consumer.once(consumer, event, async () => {});
  }

  async erase(context: CommandContext, contactId: string, pattern: string | null): Promise<ErasureCounts> {
    const counts: ErasureCounts = {};
    const add = (kind: string, n: number) => (counts[kind] = (counts[kind] ?? 0) + n);
    const repeat = async (kind: string, batch: () => Promise<number>, size = PURGE_BATCH) => {
      for (;;) {
        const n = await batch();
        add(kind, n);
        if (n < size) return;
      }
    };
    await repeat('messagesWrittenByContact', () => this.tx.run(context, (tx) => this.deletion.eraseAuthoredMessages(tx, contactId)));
    await repeat('aiSuggestions', () => this.tx.run(context, (tx) => this.deletion.deleteSuggestionsOfRequester(tx, contactId)));
    for (;;) {
      const batch = await this.tx.run(context, (tx) => this.deletion.attachmentKeysOfContact(tx, contactId));
      for (const { storageKey } of batch) await this.files.remove(context.tenantId, storageKey);
      add('attachments', await this.tx.run(context, (tx) => this.deletion.deleteAttachments(tx, batch.map((a) => a.id))));
      if (batch.length < PURGE_BATCH) break;
    }
    add('csatComments', await this.tx.run(context, (tx) => this.csat.eraseCommentsOfRequester(tx, contactId)));
    add('participations', await this.tx.run(context, (tx) => this.deletion.deleteParticipants(tx, { participantId: contactId })));
    if (pattern) {
      await repeat('channelInboundMime', () => this.tx.run(context, (tx) => this.deletion.eraseInboundRaw(tx, pattern)));
      for (const spec of TICKET_REDACTABLE) {
        await repeat(`redacted.${spec.table}`, () => this.tx.run(context, (tx) => this.deletion.redact(tx, spec, pattern)), REDACT_BATCH_DONE);
      }
    }
    return counts;
  }
}
