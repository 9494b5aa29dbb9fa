import { Query } from '@nestjs/cqrs';

/** The bytes of files a tenant stores now (attachments), from the totals the attachment triggers keep. */
export class GetStorageUsageQuery extends Query<number> {
  constructor(readonly tenantId: string) {
    super();
  }
}
