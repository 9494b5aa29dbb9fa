import { CommandBus } from '@nestjs/cqrs';
import { RecordContactAttributesCommand } from '@switchboard/customers';
import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { FieldServiceQueue, JobClosedOut } from '../field-service.context';

/**
 * The attributes a technician confirmed at close-out land on the job's contact, through the
 * customers context (which owns them). The command joins this handler's transaction, so the
 * values and the consumer's receipt commit together: a redelivery stores nothing twice.
 */
@OnEvent(JobClosedOut, { queue: FieldServiceQueue, job: 'field_service.record-close-out-attributes' })
export class RecordCloseOutAttributesJob implements DurableEventHandler<typeof JobClosedOut> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: EnvelopeOf<typeof JobClosedOut>, tx: TenantTx): Promise<void> {
    const { contactId, attributes, confirmedBy, confirmedAt } = event.payload;
    if (attributes.length === 0) return;
    await this.commands.execute(
      new RecordContactAttributesCommand(
        tx.context,
        contactId,
        attributes.map(({ key, value, aiValue, aiConfidence }) => ({ key, value, aiValue, aiConfidence })),
        { jobId: event.aggregateId, confirmedBy, confirmedAt },
      ),
    );
  }
}
