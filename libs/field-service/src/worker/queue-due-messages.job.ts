import { Logger } from '@nestjs/common';
import { HandlesJob, TenantTransaction, type JobHandler } from '@switchboard/platform';
import { SENDING_TIMEOUT_MS } from '../domain/messages';
import { DUE_MESSAGES_LOOKAHEAD_MS, QueueDueMessages } from '../field-service.context';
import { MessageDispatcher } from '../messages/message-dispatcher';
import { dueMessagesSql } from '../repositories/messages.sql';

const BATCH = 1000;

/**
 * Every 30 s (schedule `field-service.due-messages`), across tenants: queues the pending messages
 * falling due within the look-ahead (each as a delayed job at its instant; one already queued is
 * replaced, not doubled), and fails the ones a stopped worker left half-sent.
 */
@HandlesJob(QueueDueMessages)
export class QueueDueMessagesJob implements JobHandler<Record<string, never>> {
  private readonly logger = new Logger(QueueDueMessagesJob.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly dispatcher: MessageDispatcher,
  ) {}

  async handle(): Promise<void> {
    const now = Date.now();
    const { due, interrupted } = await this.tx.runAsSystem(async (manager) => {
      const stuck = dueMessagesSql.failInterrupted(new Date(now - SENDING_TIMEOUT_MS), 'Sending was interrupted (the worker stopped); not retried, so the customer is not messaged twice.');
      const pending = dueMessagesSql.due(new Date(now + DUE_MESSAGES_LOOKAHEAD_MS), BATCH);
      return {
        interrupted: (await manager.query(stuck.sql, stuck.params as unknown[])) as unknown[],
        due: (await manager.query(pending.sql, pending.params as unknown[])) as { tenant_id: string; id: string; send_at: Date }[],
      };
    });
    if (interrupted.length > 0) this.logger.warn({ messages: interrupted.length }, 'Scheduled messages interrupted mid-send marked failed');
    await this.dispatcher.queue(
      due.map((r) => ({ tenantId: r.tenant_id, id: r.id, sendAt: new Date(r.send_at) })),
      now,
    );
  }
}
