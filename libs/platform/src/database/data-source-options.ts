import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

export interface DatabaseSettings {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
}

/** One name per process, unique even across hosts and containers that reuse pids. */
const PROCESS_APPLICATION_NAME = `switchboard ${process.pid}-${randomBytes(4).toString('hex')}`;

/** Shared by both apps and the migration CLI (ormconfig.ts), so all three see the same database. */
export function buildDataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.DATABASE_URL,
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    // Compiled migrations live in dist/migrations; this file is dist/libs/platform/src/database.
    migrations: [join(__dirname, '..', '..', '..', '..', 'migrations', '*.js')],
    // pipeline: statements are written without waiting for the previous answer (pipelined-transaction.ts).
    // application_name names this process on every connection of its pool (pg_stat_activity; the
    // embedded server closes all queued connections of a process that stalls inside a transaction).
    extra: { max: settings.DATABASE_POOL_SIZE, connectionTimeoutMillis: 10_000, pipeline: true, application_name: PROCESS_APPLICATION_NAME },
    logging: false,
  };
}

/** The non-owner role every tenant transaction switches to, so row-level security applies. */
export const APP_DB_ROLE = 'switchboard_app';
/** Owner of platform-level events that belong to no customer tenant (probes, operations). */
export const SYSTEM_TENANT_ID = '00000000-0000-0000-0000-000000000000';
