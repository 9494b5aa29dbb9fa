import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { loadContact, type ContactView } from './contacts.sql';

/**
 * The contacts aggregate's statements for command handlers: SQL stays in `contacts.sql.ts`
 * (one column list, one row → view mapping); handlers call these methods, and their unit tests
 * fake them. Every method takes the handler's transaction, so it runs inside it.
 */
@Injectable()
export class ContactsRepository {
  /** The contact, locked for the rest of the transaction; undefined when missing or deleted. */
  findForUpdate(tx: TenantTx, contactId: string): Promise<ContactView | undefined> {
    return loadContact(tx.manager, tx.tenantId, contactId, true);
  }

  /** Soft delete: the row stays for history; its identities are released and remembered. */
  async softDelete(tx: TenantTx, contactId: string, released: Pick<ContactView, 'emails' | 'phones' | 'channelIdentities'>): Promise<void> {
    await tx.manager.query(`DELETE FROM contact_identities WHERE tenant_id = $1 AND contact_id = $2`, [tx.tenantId, contactId]);
    await tx.manager.query(
      `UPDATE contacts SET deleted_at = now(), deleted_identities = $3::jsonb, updated_at = now(), version = version + 1 WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, contactId, JSON.stringify(released)],
    );
  }
}
