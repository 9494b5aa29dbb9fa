import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ContactErasureRequested, GetErasureTermsQuery, RecordErasureStepCommand } from '@switchboard/customers';
import { EventConsumer, OnEventSelfAcknowledged, REDACTION_BATCH, redactBatch, TenantTransaction, type CommandContext, type EnvelopeOf, type SelfAcknowledgingEventHandler } from '@switchboard/platform';
import { EmbeddingsQueue } from '../knowledge-base.context';

/** Help-center feedback comments are the only free text from outside in this context (ADR 0031). */
const FEEDBACK = { table: 'kb_article_feedback', text: ['comment'] } as const;

/**
 * The knowledge base's part of a contact erasure: visitors' feedback comments lose the person's
 * email, phones and name (a visitor who left their address in a comment). Articles are the
 * tenant's authored content, not records about customers, and are left alone (ADR 0031).
 */
@OnEventSelfAcknowledged(ContactErasureRequested, { queue: EmbeddingsQueue, job: 'kb.erase-contact' })
export class EraseContactFromFeedbackJob implements SelfAcknowledgingEventHandler<typeof ContactErasureRequested> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly consumer: EventConsumer,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  async handle(event: EnvelopeOf<typeof ContactErasureRequested>, consumer: string): Promise<void> {
    const { erasureId } = event.payload;
    const context: CommandContext = { tenantId: event.tenantId, actorId: event.actorId, actorType: 'system', correlationId: event.correlationId };
    const terms = await this.queries.execute(new GetErasureTermsQuery(event.tenantId, erasureId));
    if (terms && !terms.completed) {
      let redacted = 0;
      if (terms.pattern) {
        const pattern = terms.pattern;
        for (;;) {
          const n = await this.tx.run(context, (tx) => redactBatch(tx.manager, tx.tenantId, FEEDBACK, pattern));
          redacted += n;
          if (n < REDACTION_BATCH) break;
        }
      }
      await this.commands.execute(new RecordErasureStepCommand(context, erasureId, 'knowledge_base', { 'redacted.kb_article_feedback': redacted }));
    }
    await this.consumer.once(consumer, event, async () => {});
  }
}
