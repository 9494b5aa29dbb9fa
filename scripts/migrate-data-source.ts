import type { DataSource } from 'typeorm';

/** Loaded lazily so a configuration error is reported, not thrown at import time. */
export default async function dataSource(): Promise<DataSource> {
  return (await import('../ormconfig')).default;
}
