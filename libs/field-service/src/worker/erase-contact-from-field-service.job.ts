import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ContactErasureRequested, GetErasureTermsQuery, RecordErasureStepCommand, type ErasureCounts } from '@switchboard/customers';
import { EventConsumer, OnEventSelfAcknowledged, REDACTION_BATCH, TenantTransaction, type CommandContext, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { FieldServiceQueue } from '../field-service.context';
import { FIELD_SERVICE_REDACTABLE, FieldServiceErasureRepository } from '../repositories/erasure.repository';

/**
 * The field-service part of a contact erasure (ADR 0031). Jobs, visits and line items stay (they
 * are the business's records of work done and invoiced) but their text loses the customer's
 * emails, phones and name; pending messages to them are cancelled and sent ones lose their
 * recipient; leads that became them lose what the prospect wrote. Batches in their own
 * transactions, idempotent, receipt after the report to customers.
 */
@OnEventSelfAcknowledged(ContactErasureRequested, { queue: FieldServiceQueue, job: 'field_service.erase-contact' })
export class EraseContactFromFieldServiceJob implements SelfAcknowledgingEventHandler<typeof ContactErasureRequested> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly consumer: EventConsumer,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly erasure: FieldServiceErasureRepository,
  ) {}

  async handle(event: EnvelopeOf<typeof ContactErasureRequested>, consumer: string): Promise<void> {
    const { erasureId, contactId } = event.payload;
    const context: CommandContext = { tenantId: event.tenantId, actorId: event.actorId, actorType: 'system', correlationId: event.correlationId };
    const terms = await this.queries.execute(new GetErasureTermsQuery(event.tenantId, erasureId));
    if (terms && !terms.completed) {
      const counts = await this.erase(context, contactId, terms.pattern);
      await this.commands.execute(new RecordErasureStepCommand(context, erasureId, 'field_service', counts));
    }
    await this.consumer.once(consumer, event, async () => {});
  }

  async erase(context: CommandContext, contactId: string, pattern: string | null): Promise<ErasureCounts> {
    const counts: ErasureCounts = {};
    counts.messagesCancelled = await this.tx.run(context, (tx) => this.erasure.cancelPendingMessages(tx, contactId));
    counts.messageRecipients = await this.tx.run(context, (tx) => this.erasure.clearRecipients(tx, contactId));
    counts.leads = await this.tx.run(context, (tx) => this.erasure.eraseLeads(tx, contactId));
    if (pattern) {
      for (const spec of FIELD_SERVICE_REDACTABLE) {
        let total = 0;
        for (;;) {
          const n = await this.tx.run(context, (tx) => this.erasure.redact(tx, spec, pattern));
          total += n;
          if (n < REDACTION_BATCH) break;
        }
        counts[`redacted.${spec.table}`] = total;
      }
    }
    return counts;
  }
}
