import { Query } from '@nestjs/cqrs';

export interface ChunkText {
  chunkId: string;
  articleId: string;
  heading: string;
  /** The chunk's plain text, as it was embedded. */
  content: string;
}

/**
 * The text of search hits' chunks (a search result carries only a highlighted snippet), for
 * grounding a text in whole sentences. Only chunks of published articles, and of public ones for
 * the public audience, are returned; unknown ids are left out.
 */
export class GetChunksQuery extends Query<ChunkText[]> {
  constructor(
    readonly tenantId: string,
    readonly chunkIds: readonly string[],
    readonly audience: 'agent' | 'public',
  ) {
    super();
  }
}
