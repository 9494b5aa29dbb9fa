import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tenantPrefix, type ObjectInfo, type ObjectStorage } from '../../libs/platform/src';

export interface FileOutcome {
  key: string;
  outcome: 'copied' | 'present' | 'failed';
  size: number;
  sha256?: string;
  error?: string;
}

export interface MigrationReport {
  tenants: number;
  copied: number;
  /** Already in the target with the same bytes (a resumed or repeated run). */
  present: number;
  failed: FileOutcome[];
  bytes: number;
}

export interface MigrateOptions {
  source: ObjectStorage;
  target: ObjectStorage;
  /** Tenants whose files to copy; all tenants found in the source when omitted. */
  tenantIds?: readonly string[];
  /** Files copied at once. */
  concurrency?: number;
  onFile?: (file: FileOutcome) => void;
}

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Tenants that have files in a store (the second segment of `tenants/<tenant>/…`). */
export async function tenantsIn(storage: ObjectStorage): Promise<string[]> {
  const seen = new Set<string>();
  for await (const object of storage.list('tenants/')) {
    const id = object.key.split('/')[1];
    if (id) seen.add(id);
  }
  return [...seen].sort();
}

/**
 * Copies one file and proves it arrived: the bytes are hashed while they stream out of the source,
 * then read back from the target and hashed again; a mismatch deletes the copy and fails the file.
 * A file already in the target with the same size and hash is left alone, so a run that stopped
 * halfway is resumed by running it again, and a finished run repeated changes nothing.
 */
export async function migrateFile(source: ObjectStorage, target: ObjectStorage, object: ObjectInfo): Promise<FileOutcome> {
  const { key } = object;
  try {
    const existing = await target.head(key);
    if (existing && existing.size === object.size) {
      const [a, b] = await Promise.all([sha256Of(await source.get(key)), sha256Of(await target.get(key))]);
      if (a.sha256 === b.sha256) return { key, outcome: 'present', size: object.size, sha256: a.sha256 };
    }
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const reading = pipeline(await source.get(key), meter);
    await Promise.all([reading, target.put(key, meter)]);
    const sent = hash.digest('hex');
    const back = await sha256Of(await target.get(key));
    if (back.sha256 !== sent || back.size !== size) {
      await target.delete(key);
      return { key, outcome: 'failed', size, error: `checksum mismatch after copy (sent ${sent}, stored ${back.sha256})` };
    }
    return { key, outcome: 'copied', size, sha256: sent };
  } catch (error) {
    return { key, outcome: 'failed', size: object.size, error: (error as Error).message };
  }
}

/** Copies the files of the given tenants (or of all) from one store to another, verifying each. */
export async function migrateFiles(options: MigrateOptions): Promise<MigrationReport> {
  const tenantIds = options.tenantIds ?? (await tenantsIn(options.source));
  const report: MigrationReport = { tenants: tenantIds.length, copied: 0, present: 0, failed: [], bytes: 0 };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  for (const tenantId of tenantIds) {
    const objects = options.source.list(tenantPrefix(tenantId))[Symbol.asyncIterator]();
    const worker = async () => {
      for (;;) {
        const next = await objects.next();
        if (next.done) return;
        const file = await migrateFile(options.source, options.target, next.value);
        if (file.outcome === 'failed') report.failed.push(file);
        else {
          report[file.outcome]++;
          if (file.outcome === 'copied') report.bytes += file.size;
        }
        options.onFile?.(file);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  return report;
}
