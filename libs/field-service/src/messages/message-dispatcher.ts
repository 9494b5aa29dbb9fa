import { Injectable, Logger } from '@nestjs/common';
import { QueueRegistry } from '@switchboard/platform';
import { DUE_MESSAGES_LOOKAHEAD_MS, SendScheduledMessage } from '../field-service.context';

export interface DueMessage {
  tenantId: string;
  id: string;
  sendAt: Date;
}

/**
 * Puts messages that fall due within the look-ahead on the reminders queue as delayed jobs keyed by
 * the message id, so each runs at its own instant and queueing one twice leaves one job. Later ones
 * wait in Postgres for the sweep (`field-service.due-messages`), which also re-queues whatever a
 * Redis that lost its contents dropped.
 */
@Injectable()
export class MessageDispatcher {
  private readonly logger = new Logger(MessageDispatcher.name);

  constructor(private readonly queues: QueueRegistry) {}

  async queue(messages: readonly DueMessage[], now = Date.now()): Promise<number> {
    const due = messages.filter((m) => m.sendAt.getTime() <= now + DUE_MESSAGES_LOOKAHEAD_MS);
    const results = await Promise.allSettled(
      due.map((m) => this.queues.schedule(SendScheduledMessage, { tenantId: m.tenantId, messageId: m.id }, { key: m.id, runAt: m.sendAt })),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    // The sweep queues them again within its period; the message itself is safe in Postgres.
    if (failed.length > 0) this.logger.warn({ failed: failed.length, error: String((failed[0] as PromiseRejectedResult).reason) }, 'Scheduled messages not queued; the sweep retries');
    return due.length - failed.length;
  }
}
