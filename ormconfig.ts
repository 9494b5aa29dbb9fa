import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './libs/platform/src/database/data-source-options';
import { loadMigrationConfig } from './scripts/migration-config';

/** The migration CLI's data source: the same options the apps use. */
export default new DataSource(buildDataSourceOptions(loadMigrationConfig(process.env)));
