import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { attachmentSql, toAttachmentView, type AttachmentRow, type AttachmentView, type NewAttachmentRow } from './attachments.sql';
import { execute } from './execute';

/** A ticket's attachments for handlers; SQL stays in `attachments.sql.ts`. Every method runs in the handler's transaction. */
@Injectable()
export class AttachmentsRepository {
  async insert(tx: TenantTx, ticketId: string, attachment: NewAttachmentRow): Promise<AttachmentView> {
    const [row] = await execute<AttachmentRow[]>(tx, attachmentSql.insert(tx.tenantId, ticketId, attachment));
    return toAttachmentView(row);
  }

  /** Bytes of attachments the tenant stores now; locks its totals until the transaction ends. */
  async storedBytesForUpdate(tx: TenantTx): Promise<number> {
    const [row] = await execute<{ bytes: string }[]>(tx, attachmentSql.storedBytesForUpdate(tx.tenantId));
    return Number(row!.bytes);
  }

  async ofTicket(tx: TenantTx, ticketId: string): Promise<AttachmentView[]> {
    return (await execute<AttachmentRow[]>(tx, attachmentSql.ofTicket(tx.tenantId, ticketId))).map(toAttachmentView);
  }

  /** With where its bytes are; undefined when this ticket has no such attachment. */
  async find(tx: TenantTx, ticketId: string, id: string): Promise<(AttachmentView & { storageKey: string }) | undefined> {
    const [row] = await execute<AttachmentRow[]>(tx, attachmentSql.byId(tx.tenantId, ticketId, id));
    return row ? { ...toAttachmentView(row), storageKey: row.storage_key } : undefined;
  }
}
