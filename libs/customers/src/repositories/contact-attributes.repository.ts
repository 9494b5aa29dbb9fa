import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import { contactAttributesSql, toContactAttributeView, type AttributeWrite, type ContactAttributeRow, type ContactAttributeView } from './contact-attributes.sql';

const run = <R>(tx: TenantTx, s: { sql: string; params?: readonly unknown[] }) => tx.manager.query(s.sql, s.params as unknown[] | undefined) as Promise<R>;

/** A contact's attributes (SQL in `contact-attributes.sql.ts`); every method runs in the handler's transaction. */
@Injectable()
export class ContactAttributesRepository {
  async list(tx: TenantTx, contactId: string): Promise<ContactAttributeView[]> {
    return (await run<ContactAttributeRow[]>(tx, contactAttributesSql.list(tx.tenantId, contactId))).map(toContactAttributeView);
  }

  /** The stored row, or undefined when a newer value was already there and stays. */
  async upsert(tx: TenantTx, contactId: string, write: AttributeWrite): Promise<ContactAttributeView | undefined> {
    const [row] = await run<ContactAttributeRow[]>(tx, contactAttributesSql.upsert(tx.tenantId, contactId, write));
    return row ? toContactAttributeView(row) : undefined;
  }

  async moveToContact(tx: TenantTx, sourceId: string, targetId: string): Promise<void> {
    await run(tx, contactAttributesSql.moveToContact(tx.tenantId, sourceId, targetId));
  }

  async remove(tx: TenantTx, contactId: string, key: string): Promise<ContactAttributeView | undefined> {
    const [row] = await run<ContactAttributeRow[]>(tx, contactAttributesSql.remove(tx.tenantId, contactId, key));
    return row ? toContactAttributeView(row) : undefined;
  }
}
