import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { LocalDiskStorage, readAll, S3Storage, tenantKey, type ObjectStorage } from '../../libs/platform/src';
import { fakeS3, type FakeS3 } from '../../test/support/fake-s3';
import { migrateFile, migrateFiles, tenantsIn } from './migrate-files';

const A = '11111111-2222-4333-8444-555555555555';
const B = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let s3: FakeS3;
let dir: string;
let disk: LocalDiskStorage;
let bucket: S3Storage;
const files: Record<string, Buffer> = {};

beforeAll(async () => {
  s3 = await fakeS3(['migrated']);
  dir = mkdtempSync(join(tmpdir(), 'storage-migrate-'));
  disk = new LocalDiskStorage(dir);
  bucket = new S3Storage({ bucket: 'migrated', region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: 'k', secretAccessKey: 's', keyPrefix: '', partSize: 5 * 1024 * 1024, queueSize: 2, presignSeconds: 0, checksums: 'when_required' });
  for (const [tenant, key, size] of [
    [A, 'attachments/a1', 10],
    [A, 'attachments/a2', 70_000],
    [A, 'exports/report.csv', 3],
    [B, 'attachments/b1', 5],
  ] as const) {
    files[tenantKey(tenant, key)] = randomBytes(size);
    await disk.put(tenantKey(tenant, key), files[tenantKey(tenant, key)]!);
  }
});
afterAll(async () => {
  bucket.close();
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('storage migration', () => {
  it('finds the tenants that have files', async () => {
    expect(await tenantsIn(disk)).toEqual([A, B]);
  });

  it('copies one tenant’s files with their exact bytes, and none of another tenant', async () => {
    const report = await migrateFiles({ source: disk, target: bucket, tenantIds: [A] });
    expect(report).toEqual({ tenants: 1, copied: 3, present: 0, failed: [], bytes: 70_013 });
    for (const key of Object.keys(files).filter((k) => k.includes(A))) expect(sha(s3.objects('migrated').get(key)!.body)).toBe(sha(files[key]!));
    expect(s3.objects('migrated').has(tenantKey(B, 'attachments/b1'))).toBe(false);
  });

  it('is idempotent and resumable: a second run copies only what is missing or different', async () => {
    // A copy that stopped halfway (missing) and one that was damaged (same size, other bytes).
    s3.objects('migrated').delete(tenantKey(A, 'attachments/a1'));
    s3.objects('migrated').get(tenantKey(A, 'exports/report.csv'))!.body = Buffer.from('xyz');
    const outcomes: string[] = [];
    const report = await migrateFiles({ source: disk, target: bucket, concurrency: 2, onFile: (f) => outcomes.push(`${f.outcome} ${f.key}`) });
    expect(report).toMatchObject({ tenants: 2, copied: 3, present: 1, failed: [] });
    expect(outcomes.sort()).toEqual([`copied ${tenantKey(A, 'attachments/a1')}`, `copied ${tenantKey(A, 'exports/report.csv')}`, `copied ${tenantKey(B, 'attachments/b1')}`, `present ${tenantKey(A, 'attachments/a2')}`].sort());
    expect(await migrateFiles({ source: disk, target: bucket })).toMatchObject({ copied: 0, present: 4, failed: [] });
    for (const [key, content] of Object.entries(files)) expect((await readAll(await bucket.get(key))).equals(content)).toBe(true);
  });

  it('fails a file whose stored bytes do not match what was sent, and removes the bad copy', async () => {
    const key = tenantKey(B, 'attachments/b1');
    // A store that corrupts what it keeps: reads answer other bytes than were written.
    const corrupting: ObjectStorage = Object.assign(Object.create(bucket) as ObjectStorage, {
      head: async () => undefined,
      get: async (): Promise<Readable> => {
        const out = new PassThrough();
        out.end(Buffer.from('corrupted'));
        return out;
      },
    });
    const outcome = await migrateFile(disk, corrupting, { key, size: 5 });
    expect(outcome).toMatchObject({ key, outcome: 'failed', error: expect.stringMatching(/checksum mismatch/) });
    expect(s3.objects('migrated').has(key)).toBe(false);
  });

  it('reports files it cannot copy (the store is down) and carries on', async () => {
    s3.state.down = true;
    try {
      const report = await migrateFiles({ source: disk, target: bucket, tenantIds: [B] });
      expect(report.copied + report.present).toBe(0);
      expect(report.failed).toEqual([expect.objectContaining({ key: tenantKey(B, 'attachments/b1'), outcome: 'failed' })]);
    } finally {
      s3.state.down = false;
    }
  });
});
