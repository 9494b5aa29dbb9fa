import { Query } from '@nestjs/cqrs';
import type { DigestSettingsView } from '../../repositories/digests.sql';

/** Whether the tenant's weekly report digest is on, and the last week it went out for. */
export class GetDigestSettingsQuery extends Query<DigestSettingsView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
