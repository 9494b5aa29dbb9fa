import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWordVectorTable } from '../../libs/ai-gateway/src';

/**
 * One cold start of the word vectors, in its own process so that time and peak memory are its
 * own: `table <cacheDir>` loads the prepared file (what the local embedder does), `json <path>`
 * parses the wink JSON the naive way (the baseline). Prints `{ ms, maxRssMb, words }`.
 */
async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2);
  const started = process.hrtime.bigint();
  let words: number;
  if (mode === 'table') {
    words = (await loadWordVectorTable({ cacheDir: path! })).rows;
  } else if (mode === 'json') {
    const parsed = JSON.parse(readFileSync(join(path!), 'utf8')) as { vectors: Record<string, number[]> };
    words = Object.keys(parsed.vectors).length;
  } else {
    throw new Error('usage: embeddings-load table <cacheDir> | json <path>');
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, words })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
