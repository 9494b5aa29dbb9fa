import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { Identity } from '../domain/identities';
import type { ContactFilter } from '../queries/list-contacts/list-contacts.query';
import {
  attachIdentities,
  detachContactsFromOrganization,
  findContactIdByIdentity,
  lockIdentity,
  foldContactInto,
  insertContact,
  listContacts,
  loadContact,
  moveIdentities,
  releaseIdentitiesExcept,
  softDeleteContact,
  updateContact,
  type ContactProfile,
  type ContactView,
} from './contacts.sql';

/**
 * The contacts aggregate's statements for command handlers: SQL stays in `contacts.sql.ts`
 * (one column list, one row → view mapping); handlers call these methods, and their unit tests
 * fake them. Every method takes the handler's transaction, so it runs inside it.
 */
@Injectable()
export class ContactsRepository {
  /** Undefined when missing or deleted. */
  find(tx: TenantTx, contactId: string): Promise<ContactView | undefined> {
    return loadContact(tx.manager, tx.tenantId, contactId);
  }

  /** The contact, locked for the rest of the transaction; undefined when missing or deleted. */
  findForUpdate(tx: TenantTx, contactId: string): Promise<ContactView | undefined> {
    return loadContact(tx.manager, tx.tenantId, contactId, true);
  }

  /** Serialises transactions on one email, phone or chat id until they end (see `lockIdentity`). */
  lockIdentity(tx: TenantTx, identity: Identity): Promise<void> {
    return lockIdentity(tx.manager, tx.tenantId, identity);
  }

  /** The id of the contact holding this email, phone or chat id. */
  findIdByIdentity(tx: TenantTx, identity: Identity): Promise<string | undefined> {
    return findContactIdByIdentity(tx.manager, tx.tenantId, identity);
  }

  list(tx: TenantTx, filter: ContactFilter): Promise<ContactView[]> {
    return listContacts(tx.manager, tx.tenantId, filter);
  }

  insert(tx: TenantTx, contactId: string, profile: ContactProfile): Promise<void> {
    return insertContact(tx.manager, tx.tenantId, contactId, profile);
  }

  update(tx: TenantTx, contactId: string, profile: ContactProfile): Promise<void> {
    return updateContact(tx.manager, tx.tenantId, contactId, profile);
  }

  /** Adds identities unless another contact holds one: then nothing is added and those are returned (empty: attached). */
  attachIdentities(tx: TenantTx, contactId: string, identities: Identity[]): Promise<Identity[]> {
    return attachIdentities(tx.manager, tx.tenantId, contactId, identities);
  }

  /** Drops the contact's identities that are not in `keep`. */
  releaseIdentitiesExcept(tx: TenantTx, contactId: string, keep: Identity[]): Promise<void> {
    return releaseIdentitiesExcept(tx.manager, tx.tenantId, contactId, keep);
  }

  /** Soft delete: the row stays for history; its identities are released and remembered. */
  softDelete(tx: TenantTx, contactId: string, released: Pick<ContactView, 'emails' | 'phones' | 'channelIdentities'>): Promise<void> {
    return softDeleteContact(tx.manager, tx.tenantId, contactId, released);
  }

  moveIdentities(tx: TenantTx, fromContactId: string, toContactId: string): Promise<void> {
    return moveIdentities(tx.manager, tx.tenantId, fromContactId, toContactId);
  }

  /** The target's empty fields take the source's values; the source is soft-deleted, pointing at the target. */
  foldInto(tx: TenantTx, targetId: string, sourceId: string): Promise<void> {
    return foldContactInto(tx.manager, tx.tenantId, targetId, sourceId);
  }

  /** The organization's contacts belong to none any more; returns how many there were. */
  detachFromOrganization(tx: TenantTx, organizationId: string): Promise<number> {
    return detachContactsFromOrganization(tx.manager, tx.tenantId, organizationId);
  }
}
