import 'reflect-metadata';
import { ConfigError } from '../libs/platform/src/config/load-config';
import dataSourcePromise from './migrate-data-source';

/** `npm run migration:run`: applies pending migrations and says which. */
async function main(): Promise<void> {
  const dataSource = await dataSourcePromise();
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(applied.length ? applied.map((m) => `migrated: ${m.name}\n`).join('') : 'migrations: up to date\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `migration failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
