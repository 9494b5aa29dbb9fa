import { Module } from '@nestjs/common';
import { FieldServiceModule } from './field-service.module';
import { EraseContactFromFieldServiceJob } from './worker/erase-contact-from-field-service.job';
import { FieldServiceQueueProcessor } from './worker/field-service-queue.processor';
import { MessageDispatcher } from './messages/message-dispatcher';
import { MessageSender } from './messages/message-sender';
import { PlanMessagesJob } from './worker/plan-messages.job';
import { QueueDueMessagesJob } from './worker/queue-due-messages.job';
import { RecordCloseOutAttributesJob } from './worker/record-close-out-attributes.job';
import { RemindersQueueProcessor } from './worker/reminders-queue.processor';
import { SendScheduledMessageJob } from './worker/send-scheduled-message.job';

@Module({
  imports: [FieldServiceModule],
  providers: [
    FieldServiceQueueProcessor,
    RecordCloseOutAttributesJob,
    EraseContactFromFieldServiceJob,
    RemindersQueueProcessor,
    MessageDispatcher,
    MessageSender,
    PlanMessagesJob,
    QueueDueMessagesJob,
    SendScheduledMessageJob,
  ],
})
export class FieldServiceWorkerModule {}
