import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { ListContactsQuery } from './list-contacts.query';

/** Newest first, `q` matching name, email, phone or chat id (see `listContacts`). */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
  ) {}

  execute({ tenantId, filter }: ListContactsQuery): Promise<Page<ContactView>> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) =>
      toPage(await this.contacts.list(tx, filter), filter.limit, (c) => [c.createdAt, c.id]),
    );
  }
}
