import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalDiskStorage, S3Storage, tenantKey, type ObjectStorage } from '../libs/platform/src';
import type { Benchmark } from './support/benchmark';
import { fixed, renderTable } from './support/table';

const TENANT = '00000000-0000-4000-8000-00000000be4c';
const MB = 1024 * 1024;
/** Small attachments (one request each) and large ones (multipart, 8 MB parts). */
const SETS = [
  { label: '1 MB files', size: 1 * MB, count: 48 },
  { label: '24 MB files', size: 24 * MB, count: 6 },
];
const CONCURRENCY = 4;
const ROUNDS = 3;

/** A stream of `size` bytes cut from one random block, in 64 KB chunks (as an upload arrives). */
function body(block: Buffer, size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const n = Math.min(64 * 1024, size - sent);
      this.push(block.subarray(sent % (block.length - n), (sent % (block.length - n)) + n));
      sent += n;
    },
  });
}

async function pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function measure(storage: ObjectStorage, block: Buffer, set: (typeof SETS)[number], round: number): Promise<{ up: number; down: number }> {
  const keys = Array.from({ length: set.count }, (_, i) => tenantKey(TENANT, `bench/${set.size}-${round}-${i}`));
  const t0 = process.hrtime.bigint();
  await pool(keys, (key) => storage.put(key, body(block, set.size)));
  const t1 = process.hrtime.bigint();
  let bytes = 0;
  await pool(keys, async (key) => {
    const hash = createHash('sha256');
    for await (const chunk of await storage.get(key)) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  });
  const t2 = process.hrtime.bigint();
  if (bytes !== set.size * set.count) throw new Error(`read ${bytes} bytes, expected ${set.size * set.count}`);
  await storage.deletePrefix(`tenants/${TENANT}/`);
  const total = (set.size * set.count) / MB;
  return { up: total / (Number(t1 - t0) / 1e9), down: total / (Number(t2 - t1) / 1e9) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Upload + download throughput of the S3 adapter (the AWS SDK over HTTP to an S3-compatible store
 * on loopback, in its own process) against the local-disk adapter, same bytes, same streaming code
 * path, in the same run: the ratio is what the object store costs the api per file.
 */
export const storageBenchmark: Benchmark = {
  name: 'storage',
  description: 'file storage: upload and download MB/s of the S3 adapter vs the local-disk adapter',
  async run({ log, cleanup }) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-storage-'));
    cleanup.add('storage bench directory', () => rmSync(dir, { recursive: true, force: true }));
    const child = spawn(process.execPath, [join(__dirname, 'support', 'fake-s3-process.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.add('fake S3', () => {
      child.kill('SIGTERM');
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
      child.once('exit', (code) => reject(new Error(`fake S3 exited with ${code}`)));
    });
    const local = new LocalDiskStorage(dir);
    const options = { bucket: 'bench', region: 'us-east-1', endpoint, forcePathStyle: true, accessKeyId: 'k', secretAccessKey: 's', keyPrefix: '', partSize: 8 * MB, queueSize: 4, presignSeconds: 0 };
    const s3 = new S3Storage({ ...options, checksums: 'when_supported' });
    // The SDK's default trailing CRC32 on every upload, against STORAGE_S3_CHECKSUMS=when_required.
    const s3Lean = new S3Storage({ ...options, checksums: 'when_required' });
    cleanup.add('S3 clients', () => {
      s3.close();
      s3Lean.close();
    });
    const block = randomBytes(32 * MB);
    const rows: string[][] = [];
    for (const set of SETS) {
      log(`${set.label}: ${set.count} × ${set.size / MB} MB, ${CONCURRENCY} at a time, median of ${ROUNDS} rounds (after one warm-up)…`);
      const results: Record<'local' | 's3' | 's3Lean', { up: number[]; down: number[] }> = { local: { up: [], down: [] }, s3: { up: [], down: [] }, s3Lean: { up: [], down: [] } };
      await measure(local, block, set, -1);
      await measure(s3, block, set, -1);
      await measure(s3Lean, block, set, -1);
      for (let round = 0; round < ROUNDS; round++) {
        // Interleaved, so machine noise falls on both alike.
        for (const [name, storage] of [['local', local], ['s3', s3], ['s3Lean', s3Lean]] as const) {
          const r = await measure(storage, block, set, round);
          results[name].up.push(r.up);
          results[name].down.push(r.down);
        }
      }
      const l = { up: median(results.local.up), down: median(results.local.down) };
      rows.push([`${set.label}, local disk (baseline)`, fixed(l.up, 0), fixed(l.down, 0), '—', '—']);
      for (const [name, label] of [['s3', 'S3 adapter'], ['s3Lean', 'S3 adapter, checksums when_required']] as const) {
        const s = { up: median(results[name].up), down: median(results[name].down) };
        rows.push([`${set.label}, ${label}`, fixed(s.up, 0), fixed(s.down, 0), fixed(s.up / l.up, 2), fixed(s.down / l.down, 2)]);
      }
    }
    log(renderTable(['adapter', 'upload MB/s', 'download MB/s', 'upload ratio', 'download ratio'], rows));
  },
};
