import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { conflict } from '../../domain/problems';
import { JobsRepository } from '../../repositories/jobs.repository';
import { MessagesRepository } from '../../repositories/messages.repository';
import type { MessageView } from '../../repositories/messages.sql';
import { CancelMessageCommand } from './cancel-message.command';

/** Stops a message that has not gone out; cancelling a cancelled one changes nothing; a sent, sending or failed one is a 409. */
@CommandHandler(CancelMessageCommand)
export class CancelMessageHandler implements ICommandHandler<CancelMessageCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly jobs: JobsRepository,
    private readonly messages: MessagesRepository,
  ) {}

  execute({ context, messageId }: CancelMessageCommand): Promise<MessageView> {
    return this.tx.run(context, async (tx) => {
      const before = await this.messages.find(tx, messageId);
      if (!before) throw notFound('Message', messageId);
      if (before.status === 'cancelled') return before;
      const after = before.status === 'pending' ? await this.messages.finish(tx, messageId, 'cancelled', 'Cancelled by a user.', ['pending']) : undefined;
      if (!after) {
        throw conflict('message-not-pending', `Message ${messageId} is ${before.status === 'pending' ? 'being sent' : before.status}; only a pending message can be cancelled.`, { messageStatus: before.status });
      }
      await tx.audit({ action: 'field_service.message_cancelled', entityType: 'field_service_job', entityId: after.jobId, before: { messageId, status: before.status }, after: { messageId, status: after.status } });
      await this.jobs.recordHistory(tx, after.jobId, after.visitId, 'message.cancelled', { [after.kind]: { from: before.status, to: after.status } });
      return after;
    });
  }
}
