import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument, loadConfig } from '../libs/platform/src';
import { createApi } from '../apps/api/src/create-api';
import { stableStringify } from './stable-json';
import { CONTEXTS } from '../apps/contexts';

/**
 * `npm run openapi`: writes openapi.json from the controllers' decorators, without a database
 * or Redis (Nest's preview mode builds the module graph but instantiates nothing).
 */
async function main(): Promise<void> {
  const config = loadConfig({ DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused', REDIS_URL: 'redis://127.0.0.1:1' }, CONTEXTS);
  const app = await createApi(config, { preview: true });
  const document = buildOpenApiDocument(app);
  writeFileSync('openapi.json', `${stableStringify(document)}\n`);
  process.stdout.write(`openapi.json: ${Object.keys(document.paths).length} paths\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
