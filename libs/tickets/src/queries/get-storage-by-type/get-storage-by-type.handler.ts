import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { attachmentSql } from '../../repositories/attachments.sql';
import { GetStorageByTypeQuery, type StoredFileType } from './get-storage-by-type.query';

@QueryHandler(GetStorageByTypeQuery)
export class GetStorageByTypeHandler implements IQueryHandler<GetStorageByTypeQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ tenantId }: GetStorageByTypeQuery): Promise<StoredFileType[]> {
    const [rows] = await this.tx.runBatch({ tenantId, actorId: null, correlationId: null }, [attachmentSql.storedByType(tenantId)]);
    return ((rows ?? []) as { content_type: string; files: number; bytes: string }[]).map((r) => ({ contentType: r.content_type, files: Number(r.files), bytes: Number(r.bytes) }));
  }
}
