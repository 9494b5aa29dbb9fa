import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { countryOfLocale, normalisePhone } from '../../domain/identities';
import { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { ListContactsQuery } from './list-contacts.query';

/** Newest first, `q` matching name, email, phone or chat id (see `listContacts`). */
@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly contacts: ContactsRepository,
  ) {}

  async execute({ tenantId, filter }: ListContactsQuery): Promise<Page<ContactView>> {
    // A phone in national form ("020 7946 0018") is read in the tenant's country.
    const q = filter.q?.trim();
    const national = q && /\d{5}/.test(q.replace(/\D/g, '')) && !normalisePhone(q);
    const phoneCountry = national ? (countryOfLocale((await this.queries.execute(new GetTenantQuery(tenantId))).locale) ?? undefined) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, async (tx) =>
      toPage(await this.contacts.list(tx, { ...filter, phoneCountry }), filter.limit, (c) => [c.createdAt, c.id]),
    );
  }
}
