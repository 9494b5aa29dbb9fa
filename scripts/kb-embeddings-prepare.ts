import { join } from 'node:path';
import { loadWordVectorTable, WORD_TABLE_FILE } from '../libs/ai-gateway/src/index';

/**
 * `npm run kb:embeddings:prepare`: converts the wink word vectors into the local embedder's
 * compact file once (a no-op when it is already there). Apps do the same lazily on first use;
 * running it ahead keeps the first article index or search fast. Honours EMBEDDINGS_CACHE_DIR
 * and DATA_DIR like the apps; `--dir <path>` overrides both.
 */
async function main(): Promise<void> {
  const dirFlag = process.argv.indexOf('--dir');
  const cacheDir = dirFlag > 0 ? process.argv[dirFlag + 1] : process.env.EMBEDDINGS_CACHE_DIR || join(process.env.DATA_DIR || '.data', 'models');
  if (!cacheDir) throw new Error('--dir needs a path');
  const started = Date.now();
  const table = await loadWordVectorTable({ cacheDir, onConvert: (message) => process.stdout.write(`${message}\n`) });
  process.stdout.write(`word vectors ready: ${join(cacheDir, WORD_TABLE_FILE)} (${table.rows} words × ${table.dimensions}, ${Date.now() - started} ms)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`preparing word vectors failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
