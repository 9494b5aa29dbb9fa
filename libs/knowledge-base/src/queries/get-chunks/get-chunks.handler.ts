import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ChunksRepository } from '../../repositories/chunks.repository';
import { GetChunksQuery, type ChunkText } from './get-chunks.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@QueryHandler(GetChunksQuery)
export class GetChunksHandler implements IQueryHandler<GetChunksQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly chunks: ChunksRepository,
  ) {}

  async execute({ tenantId, chunkIds, audience }: GetChunksQuery): Promise<ChunkText[]> {
    const ids = [...new Set(chunkIds.filter((id) => UUID.test(id)))].slice(0, 50);
    if (ids.length === 0) return [];
    const rows = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.chunks.texts(tx, ids, audience));
    const byId = new Map(rows.map((r) => [r.id, r]));
    // In the order asked for (the search's rank).
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ chunkId: r.id, articleId: r.articleId, heading: r.heading, content: r.content }] : [];
    });
  }
}
