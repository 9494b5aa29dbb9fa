import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fakeS3, type FakeS3 } from './fake-s3';

/** The storage drivers file-handling e2e suites run against (`describe.each(STORAGE_DRIVERS)`). */
export const STORAGE_DRIVERS = ['local', 's3'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

/** One driver as a test sees it: the environment for the apps and a look into what is stored. */
export interface StorageUnderTest {
  driver: StorageDriver;
  env: Record<string, string>;
  /** The fake object store behind the `s3` driver. */
  s3: FakeS3 | undefined;
  /** Names of the files stored under `tenants/<tenant>/<area>/`. */
  files(tenantId: string, area: string): string[];
  /** Whether a tenant's file (its storage key as kept in the tenant's rows) is stored. */
  has(tenantId: string, storageKey: string): boolean;
  /** Every file of a tenant, whatever its area. */
  count(tenantId: string): number;
  close(): Promise<void>;
}

export async function storageUnderTest(driver: StorageDriver): Promise<StorageUnderTest> {
  if (driver === 'local') {
    const dir = (tenantId: string) => join(process.env.E2E_DATA_DIR!, 'tenants', tenantId);
    const list = (path: string): string[] => {
      try {
        return readdirSync(path, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
      } catch {
        return [];
      }
    };
    return {
      driver,
      env: {},
      s3: undefined,
      files: (tenantId, area) => list(join(dir(tenantId), area)),
      has: (tenantId, key) => existsSync(join(dir(tenantId), key)),
      count: (tenantId) => list(dir(tenantId)).length,
      close: async () => undefined,
    };
  }
  const s3 = await fakeS3(['switchboard-e2e']);
  const keys = (prefix: string) => [...s3.objects().keys()].filter((k) => k.startsWith(prefix));
  return {
    driver,
    env: s3.env('switchboard-e2e'),
    s3,
    files: (tenantId, area) => keys(`tenants/${tenantId}/${area}/`).map((k) => k.split('/').at(-1)!),
    has: (tenantId, key) => s3.objects().has(`tenants/${tenantId}/${key}`),
    count: (tenantId) => keys(`tenants/${tenantId}/`).length,
    close: () => s3.close(),
  };
}
