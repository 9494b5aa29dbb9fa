import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction, type Page } from '@switchboard/platform';
import { SynonymsRepository } from '../../repositories/synonyms.repository';
import type { SynonymSetView } from '../../repositories/synonyms.sql';
import { normaliseTerm } from '../../queries/search-articles/search-sql';
import { GetSynonymSetQuery, ListSynonymSetsQuery } from './list-synonym-sets.query';

@QueryHandler(ListSynonymSetsQuery)
export class ListSynonymSetsHandler implements IQueryHandler<ListSynonymSetsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly synonyms: SynonymsRepository,
  ) {}

  execute({ tenantId, filter }: ListSynonymSetsQuery): Promise<Page<SynonymSetView>> {
    const term = filter.term !== undefined ? normaliseTerm(filter.term) : undefined;
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.synonyms.page(tx, { term: term || undefined }, { limit: filter.limit, cursor: filter.cursor }));
  }
}

@QueryHandler(GetSynonymSetQuery)
export class GetSynonymSetHandler implements IQueryHandler<GetSynonymSetQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly synonyms: SynonymsRepository,
  ) {}

  async execute({ tenantId, synonymSetId }: GetSynonymSetQuery): Promise<SynonymSetView> {
    const found = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.synonyms.find(tx, synonymSetId));
    if (!found) throw notFound('Synonym set', synonymSetId);
    return found;
  }
}
