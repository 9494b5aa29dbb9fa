import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { execute } from './execute';
import { messageSql, toMessageView, type MessageRow, type MessageView, type NewMessageRow } from './messages.sql';

/** A ticket's messages for handlers; SQL stays in `messages.sql.ts`. Every method runs in the handler's transaction. */
@Injectable()
export class MessagesRepository {
  async insert(tx: TenantTx, ticketId: string, message: NewMessageRow): Promise<MessageView> {
    const [row] = await execute<MessageRow[]>(tx, messageSql.insert(tx.tenantId, ticketId, message));
    return toMessageView(row);
  }

  /** A new ticket's description, as the requester's first public message. */
  async insertDescription(tx: TenantTx, ticketId: string, requesterId: string, body: string): Promise<void> {
    await execute(tx, messageSql.insertDescription(tx.tenantId, ticketId, requesterId, body));
  }

  /** Oldest first, one more than `limit`. */
  async page(tx: TenantTx, ticketId: string, page: { limit: number; after?: readonly [at: string, id: string] }): Promise<MessageView[]> {
    return (await execute<MessageRow[]>(tx, messageSql.page(tx.tenantId, ticketId, page))).map(toMessageView);
  }

  /** The first message and the newest `recent` ones, oldest → newest. */
  async firstAndRecent(tx: TenantTx, ticketId: string, recent: number): Promise<MessageView[]> {
    return (await execute<MessageRow[]>(tx, messageSql.firstAndRecent(tx.tenantId, ticketId, recent))).map(toMessageView);
  }

  async reassignContactAuthor(tx: TenantTx, from: string, to: string): Promise<void> {
    await execute(tx, messageSql.reassignContactAuthor(tx.tenantId, from, to));
  }
}
