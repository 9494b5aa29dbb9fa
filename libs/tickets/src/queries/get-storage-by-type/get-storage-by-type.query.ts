import { Query } from '@nestjs/cqrs';

/** Stored files of one content type: how many, and their bytes. */
export interface StoredFileType {
  contentType: string;
  files: number;
  bytes: number;
}

/** A tenant's stored files by content type (the sniffed type of each attachment), largest first. */
export class GetStorageByTypeQuery extends Query<StoredFileType[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}
