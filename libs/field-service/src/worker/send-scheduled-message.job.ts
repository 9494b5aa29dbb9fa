import { HandlesJob, type JobHandler } from '@switchboard/platform';
import { SendScheduledMessage } from '../field-service.context';
import { MessageSender } from '../messages/message-sender';

/** A scheduled message's delayed job, at its instant. */
@HandlesJob(SendScheduledMessage)
export class SendScheduledMessageJob implements JobHandler<{ tenantId: string; messageId: string }> {
  constructor(private readonly sender: MessageSender) {}

  async handle({ tenantId, messageId }: { tenantId: string; messageId: string }): Promise<void> {
    await this.sender.send(tenantId, messageId);
  }
}
