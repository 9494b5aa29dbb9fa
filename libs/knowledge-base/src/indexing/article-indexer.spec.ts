import { jest } from '@jest/globals';
import type { EmbeddingsProvider } from '@switchboard/ai-gateway';
import type { EventConsumer, EventEnvelope, TenantTx } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import { chunkArticle } from '../domain/chunker';
import type { ChunkReplacement, ChunksRepository, StoredChunk } from '../repositories/chunks.repository';
import type { IndexedArticle } from '../repositories/chunks.sql';
import { ArticleIndexer } from './article-indexer';

const TENANT = '11111111-1111-4111-8111-111111111111';
const BODY = '# Setup\n\nPlug it in.\n\n# Troubleshooting\n\nTurn it off and on.';

const article = (over: Partial<IndexedArticle> = {}): IndexedArticle => ({
  version: 4,
  status: 'published',
  title: 'Printers',
  body: BODY,
  locale: 'en',
  visibility: 'public',
  categoryId: 'cat-1',
  sectionId: 'sec-1',
  tags: [],
  ...over,
});

const provider: EmbeddingsProvider = { id: 'test', model: 'm', dimensions: 3, embed: async () => [] };
const EMBEDDER = 'test:m:3';

function setup(reads: { articles: (IndexedArticle | undefined)[]; existing?: StoredChunk[]; lockedVersions?: (number | null)[]; dims?: number; searchDims?: number | null; searchPrefix?: number; receipt?: boolean; applied?: boolean }) {
  const tx = new FakeTenantTransaction();
  const articles = [...reads.articles];
  const locked = [...(reads.lockedVersions ?? [])];
  let lastRead: IndexedArticle | undefined;
  const chunks = {
    vectorDimensions: jest.fn(async () => reads.dims ?? 3),
    searchDimensions: jest.fn(async () => (reads.searchDims === undefined ? 2 : reads.searchDims)),
    receiptExists: jest.fn(async () => reads.receipt ?? false),
    findArticle: jest.fn(async () => (lastRead = articles.length > 1 ? articles.shift() : articles[0])),
    chunksOf: jest.fn(async () => reads.existing ?? []),
    // Unless told otherwise, the article has not moved since it was read.
    lockArticleVersion: jest.fn(async () => (locked.length > 0 ? locked.shift()! : (lastRead?.version ?? null))),
    replace: jest.fn(async (_tx: TenantTx, _articleId: string, _change: ChunkReplacement) => undefined),
  };
  const embed = jest.fn(async (texts: readonly string[]) => texts.map((_, i) => Float32Array.from([i + 1, 0, 0])));
  const consumer = {
    once: jest.fn(async (_name: string, _event: EventEnvelope<unknown>, effect: (tx: TenantTx) => Promise<void>) => {
      if (reads.applied === false) return false;
      await tx.run({ tenantId: TENANT, actorId: null, correlationId: null }, effect);
      return true;
    }),
  };
  const indexer = new ArticleIndexer(tx.asTenantTransaction(), consumer as unknown as EventConsumer, chunks as unknown as ChunksRepository, { ...provider, searchDimensions: reads.searchPrefix, embed });
  return { indexer, chunks, embed, consumer };
}

const wanted = chunkArticle('Printers', BODY);
const stored = (i: number, embedder = EMBEDDER): StoredChunk => ({ id: `chunk-${i}`, contentHash: wanted[i]!.hash, embedder });

describe('ArticleIndexer', () => {
  it('embeds every chunk of a newly published article and writes them', async () => {
    const { indexer, chunks, embed } = setup({ articles: [article()] });
    await expect(indexer.index(TENANT, 'art-1')).resolves.toEqual({ articleId: 'art-1', chunks: 2, embedded: 2, reused: 0, removed: 0, version: 4 });
    expect(embed).toHaveBeenCalledWith(wanted.map((c) => c.embeddingText), { tenantId: TENANT });
    const change = chunks.replace.mock.calls[0]![2];
    expect(change).toMatchObject({ article: article(), kept: [], removed: [], embedder: EMBEDDER });
    expect(change.fresh.map((c) => [c.ordinal, c.heading, c.hash, c.embedding])).toEqual([
      [0, 'Setup', wanted[0]!.hash, '[1,0,0]'],
      [1, 'Troubleshooting', wanted[1]!.hash, '[2,0,0]'],
    ]);
  });

  it('reuses the vectors of unchanged chunks and embeds only the changed text', async () => {
    const edited = BODY.replace('Turn it off and on.', 'Unplug it for ten seconds.');
    const { indexer, chunks, embed } = setup({ articles: [article({ body: edited, version: 5 })], existing: [stored(0), stored(1)] });
    await expect(indexer.index(TENANT, 'art-1')).resolves.toMatchObject({ chunks: 2, embedded: 1, reused: 1, removed: 1, version: 5 });
    expect(embed).toHaveBeenCalledTimes(1);
    expect(embed.mock.calls[0]![0]).toEqual(['Printers\nTroubleshooting\nUnplug it for ten seconds.']);
    expect(chunks.replace.mock.calls[0]![2]).toMatchObject({ kept: [{ id: 'chunk-0', ordinal: 0 }], removed: ['chunk-1'] });
  });

  it('does not reuse a vector made by another embedder', async () => {
    const { indexer, chunks, embed } = setup({ articles: [article()], existing: [stored(0, 'local:word-vectors:3'), stored(1)] });
    await indexer.index(TENANT, 'art-1');
    expect(embed.mock.calls[0]![0]).toEqual([wanted[0]!.embeddingText]);
    expect(chunks.replace.mock.calls[0]![2]).toMatchObject({ kept: [{ id: 'chunk-1', ordinal: 1 }], removed: ['chunk-0'] });
  });

  it('removes every chunk of an archived article without embedding anything', async () => {
    const { indexer, chunks, embed } = setup({ articles: [article({ status: 'archived', version: 6 })], existing: [stored(0), stored(1)] });
    await expect(indexer.index(TENANT, 'art-1')).resolves.toEqual({ articleId: 'art-1', chunks: 0, embedded: 0, reused: 0, removed: 2, version: null });
    expect(embed).not.toHaveBeenCalled();
    expect(chunks.replace.mock.calls[0]![2]).toMatchObject({ article: { status: 'archived' }, kept: [], fresh: [], removed: ['chunk-0', 'chunk-1'] });
  });

  it('removes the chunks of an article that no longer exists', async () => {
    const { indexer, chunks } = setup({ articles: [undefined], existing: [stored(0)] });
    await expect(indexer.index(TENANT, 'art-1')).resolves.toMatchObject({ chunks: 0, removed: 1, version: null });
    expect(chunks.replace.mock.calls[0]![2]).toMatchObject({ article: undefined, removed: ['chunk-0'] });
  });

  it('indexes again when the article moved while it was being embedded, and writes the newer version', async () => {
    const newer = article({ version: 5, body: `${BODY}\n\nNew paragraph.` });
    const { indexer, chunks, embed } = setup({ articles: [article({ version: 4 }), newer], lockedVersions: [5, 5] });
    await expect(indexer.index(TENANT, 'art-1')).resolves.toMatchObject({ version: 5 });
    expect(chunks.findArticle).toHaveBeenCalledTimes(2);
    expect(embed).toHaveBeenCalledTimes(2);
    expect(chunks.replace).toHaveBeenCalledTimes(1);
    expect(chunks.replace.mock.calls[0]![2].article).toEqual(newer);
  });

  it('gives up after five attempts when the article keeps moving, writing nothing', async () => {
    const { indexer, chunks } = setup({ articles: [article({ version: 4 })], lockedVersions: [5, 6, 7, 8, 9] });
    await expect(indexer.index(TENANT, 'art-1')).rejects.toThrow();
    expect(chunks.findArticle).toHaveBeenCalledTimes(5);
    expect(chunks.replace).not.toHaveBeenCalled();
  });

  it('refuses to index with a provider whose dimension the column does not have', async () => {
    const { indexer, embed, chunks } = setup({ articles: [article()], dims: 384 });
    await expect(indexer.index(TENANT, 'art-1')).rejects.toThrow(/makes 3-d vectors but kb_chunks.embedding is vector\(384\)/);
    expect(embed).not.toHaveBeenCalled();
    expect(chunks.replace).not.toHaveBeenCalled();
  });

  it('refuses to index with a provider searched on a prefix the search column does not hold (ADR 0068)', async () => {
    const { indexer, embed, chunks } = setup({ articles: [article()], searchPrefix: 2, searchDims: null });
    await expect(indexer.index(TENANT, 'art-1')).rejects.toThrow(/searched on its first 2 dimensions but kb_chunks.embedding_search is not halfvec\(2\)/);
    expect(embed).not.toHaveBeenCalled();
    expect(chunks.replace).not.toHaveBeenCalled();
    // The prefix the column holds: indexed.
    const ok = setup({ articles: [article()], searchPrefix: 2, searchDims: 2 });
    await expect(ok.indexer.index(TENANT, 'art-1')).resolves.toMatchObject({ chunks: 2, embedded: 2 });
  });

  describe('for an event', () => {
    const event = { id: 'evt-1', tenantId: TENANT, actorId: null, correlationId: null } as EventEnvelope<unknown>;

    it('writes the chunks with the consumer’s receipt', async () => {
      const { indexer, consumer, chunks } = setup({ articles: [article()] });
      await expect(indexer.index(TENANT, 'art-1', event, 'embeddings:kb.index-article')).resolves.toMatchObject({ chunks: 2 });
      expect(consumer.once).toHaveBeenCalledWith('embeddings:kb.index-article', event, expect.any(Function));
      expect(chunks.replace).toHaveBeenCalledTimes(1);
    });

    it('does nothing for an event already applied (receipt seen before embedding)', async () => {
      const { indexer, embed, chunks } = setup({ articles: [article()], receipt: true });
      await expect(indexer.index(TENANT, 'art-1', event)).resolves.toMatchObject({ duplicate: true });
      expect(chunks.receiptExists).toHaveBeenCalledWith(expect.anything(), 'embeddings:kb.index-article', 'evt-1');
      expect(embed).not.toHaveBeenCalled();
      expect(chunks.replace).not.toHaveBeenCalled();
    });

    it('reports a duplicate when another delivery committed the receipt first', async () => {
      const { indexer, chunks } = setup({ articles: [article()], applied: false });
      await expect(indexer.index(TENANT, 'art-1', event)).resolves.toMatchObject({ duplicate: true, chunks: 0 });
      expect(chunks.replace).not.toHaveBeenCalled();
    });
  });
});
