import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { DEFAULT_MESSAGE_SETTINGS, type MessageSettings, type MessageStatus, type PlannedMessage } from '../domain/messages';
import { execute } from './execute';
import { messagesSql, toMessageView, toSettings, type MessageRow, type MessageSubject, type MessageView, type SettingsRow } from './messages.sql';

/** Scheduled customer messages and the tenant's messaging settings (SQL in `messages.sql.ts`), in the caller's transaction. */
@Injectable()
export class MessagesRepository {
  async settings(tx: TenantTx): Promise<MessageSettings> {
    const [row] = await execute<SettingsRow[]>(tx, messagesSql.settings(tx.tenantId));
    return row ? toSettings(row) : { ...DEFAULT_MESSAGE_SETTINGS };
  }

  async saveSettings(tx: TenantTx, settings: MessageSettings): Promise<MessageSettings> {
    const [row] = await execute<SettingsRow[]>(tx, messagesSql.saveSettings(tx.tenantId, settings, tx.context.actorId));
    return toSettings(row!);
  }

  async insert(tx: TenantTx, subject: MessageSubject, planned: readonly PlannedMessage[]): Promise<MessageView[]> {
    const views: MessageView[] = [];
    for (const message of planned) {
      const [row] = await execute<MessageRow[]>(tx, messagesSql.insert(tx.tenantId, subject, message));
      views.push(toMessageView(row!));
    }
    return views;
  }

  async cancelPendingOfVisit(tx: TenantTx, visitId: string, reason: string): Promise<MessageView[]> {
    return (await execute<MessageRow[]>(tx, messagesSql.cancelPendingOfVisit(tx.tenantId, visitId, reason))).map(toMessageView);
  }

  async notified(tx: TenantTx, visitId: string): Promise<boolean> {
    const [row] = await execute<{ notified: boolean }[]>(tx, messagesSql.notified(tx.tenantId, visitId));
    return row?.notified === true;
  }

  async find(tx: TenantTx, id: string): Promise<MessageView | undefined> {
    const [row] = await execute<MessageRow[]>(tx, messagesSql.find(tx.tenantId, id));
    return row ? toMessageView(row) : undefined;
  }

  async ofJob(tx: TenantTx, jobId: string): Promise<MessageView[]> {
    return (await execute<MessageRow[]>(tx, messagesSql.ofJob(tx.tenantId, jobId))).map(toMessageView);
  }

  /** The claimed message with its invite sequence, or undefined when another worker has it, it is done, or not due. */
  async claim(tx: TenantTx, id: string): Promise<(MessageView & { sequence: number }) | undefined> {
    const [row] = await execute<MessageRow[]>(tx, messagesSql.claim(tx.tenantId, id));
    return row ? { ...toMessageView(row), sequence: row.sequence } : undefined;
  }

  async sent(tx: TenantTx, id: string, outcome: { recipient: string; locale: string; subject: string }): Promise<MessageView | undefined> {
    const [row] = await execute<MessageRow[]>(tx, messagesSql.sent(tx.tenantId, id, outcome));
    return row ? toMessageView(row) : undefined;
  }

  async followUpDone(tx: TenantTx, followUpId: string): Promise<void> {
    await execute(tx, messagesSql.followUpDone(tx.tenantId, followUpId));
  }

  async finish(tx: TenantTx, id: string, status: 'cancelled' | 'failed', reason: string, from: readonly MessageStatus[]): Promise<MessageView | undefined> {
    const [row] = await execute<MessageRow[]>(tx, messagesSql.finish(tx.tenantId, id, status, reason, from));
    return row ? toMessageView(row) : undefined;
  }

  async retryLater(tx: TenantTx, id: string, at: Date, error: string): Promise<MessageView | undefined> {
    const [row] = await execute<MessageRow[]>(tx, messagesSql.retryLater(tx.tenantId, id, at, error));
    return row ? toMessageView(row) : undefined;
  }
}
