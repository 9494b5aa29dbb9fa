import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetChunksQuery, type ChunkText } from './get-chunks.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@QueryHandler(GetChunksQuery)
export class GetChunksHandler implements IQueryHandler<GetChunksQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ tenantId, chunkIds, audience }: GetChunksQuery): Promise<ChunkText[]> {
    const ids = [...new Set(chunkIds.filter((id) => UUID.test(id)))].slice(0, 50);
    if (ids.length === 0) return [];
    const rows: { id: string; article_id: string; heading: string; content: string }[] = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) =>
      tx.manager.query(
        `SELECT c.id, c.article_id, c.heading, c.content FROM kb_chunks c
           JOIN kb_articles a ON a.tenant_id = c.tenant_id AND a.id = c.article_id AND a.status = 'published' ${audience === 'public' ? `AND a.visibility = 'public'` : ''}
          WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])`,
        [tenantId, ids],
      ),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    // In the order asked for (the search's rank).
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ chunkId: r.id, articleId: r.article_id, heading: r.heading, content: r.content }] : [];
    });
  }
}
