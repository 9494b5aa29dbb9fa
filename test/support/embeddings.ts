import { join } from 'node:path';

/**
 * One prepared word-vector file per checkout, shared by unit specs, e2e processes and the eval:
 * the wink conversion (~10 s) runs once per machine, not per test run. The cache's lock makes
 * concurrent first runs safe.
 */
export const SHARED_EMBEDDINGS_CACHE_DIR = join(process.cwd(), 'node_modules', '.cache', 'switchboard-embeddings');
