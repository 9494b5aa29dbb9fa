import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { DigestsRepository } from '../../repositories/digests.repository';
import type { DigestSettingsView } from '../../repositories/digests.sql';
import { GetDigestSettingsQuery } from './get-digest-settings.query';

@QueryHandler(GetDigestSettingsQuery)
export class GetDigestSettingsHandler implements IQueryHandler<GetDigestSettingsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly digests: DigestsRepository,
  ) {}

  execute({ tenantId }: GetDigestSettingsQuery): Promise<DigestSettingsView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.digests.settings(tx));
  }
}
