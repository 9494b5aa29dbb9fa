import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { attachmentSql } from '../../repositories/attachments.sql';
import { GetStorageUsageQuery } from './get-storage-usage.query';

@QueryHandler(GetStorageUsageQuery)
export class GetStorageUsageHandler implements IQueryHandler<GetStorageUsageQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ tenantId }: GetStorageUsageQuery): Promise<number> {
    const [rows] = await this.tx.runBatch({ tenantId, actorId: null, correlationId: null }, [attachmentSql.storedBytes(tenantId)]);
    return Number((rows?.[0] as { bytes?: string } | undefined)?.bytes ?? 0);
  }
}
