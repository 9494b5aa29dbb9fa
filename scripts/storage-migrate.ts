import { parseArgs } from 'node:util';
import { configSchema, createObjectStorage, LocalDiskStorage } from '../libs/platform/src';
import { migrateFiles } from './storage-migrate/migrate-files';

const USAGE = `Usage: npm run storage:migrate -- (--tenant <tenant id> ... | --all) [--concurrency 4]

Copies tenants' files from the local disk (DATA_DIR/tenants/<tenant>/) to the object store named by
the STORAGE_S3_* settings, verifying every file's SHA-256 after the copy. Files already in the store
with the same bytes are skipped: run it again to resume or to check. Exit code 1 if any file failed.
`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tenant: { type: 'string', multiple: true }, all: { type: 'boolean' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || (!values.all && !values.tenant?.length) || (values.all && values.tenant?.length)) {
    process.stdout.write(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const bad = (values.tenant ?? []).filter((t) => !UUID.test(t));
  if (bad.length) {
    process.stderr.write(`storage:migrate: not a tenant id: ${bad.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const concurrency = Number(values.concurrency ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    process.stderr.write('storage:migrate: --concurrency is a whole number from 1 to 64\n');
    process.exitCode = 2;
    return;
  }
  // Only the storage settings: the copy needs neither the database nor Redis.
  const storageKeys = Object.keys(configSchema.shape).filter((k) => k === 'DATA_DIR' || k.startsWith('STORAGE_'));
  const parsed = configSchema.pick(Object.fromEntries(storageKeys.map((k) => [k, true])) as never).safeParse({ ...process.env, STORAGE_DRIVER: 's3' });
  if (!parsed.success) {
    process.stderr.write(`storage:migrate: invalid settings:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const config = parsed.data as Parameters<typeof createObjectStorage>[0];
  if (!config.STORAGE_S3_BUCKET) {
    process.stderr.write('storage:migrate: set STORAGE_S3_BUCKET (and the other STORAGE_S3_* settings) to the target object store\n');
    process.exitCode = 2;
    return;
  }
  const source = new LocalDiskStorage(config.DATA_DIR);
  const target = createObjectStorage(config);
  try {
    let files = 0;
    const report = await migrateFiles({
      source,
      target,
      ...(values.tenant ? { tenantIds: values.tenant.map((t) => t.toLowerCase()) } : {}),
      concurrency,
      onFile: (file) => {
        files++;
        if (file.outcome === 'failed') process.stderr.write(`failed  ${file.key}: ${file.error}\n`);
        else if (files % 100 === 0) process.stdout.write(`… ${files} files\n`);
      },
    });
    process.stdout.write(
      `storage:migrate: ${report.tenants} tenant(s): ${report.copied} copied (${report.bytes} bytes), ${report.present} already present, ${report.failed.length} failed\n`,
    );
    if (report.failed.length) process.exitCode = 1;
  } finally {
    (target as { close?: () => void }).close?.();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`storage:migrate: ${(error as Error).message}\n`);
  process.exit(1);
});
