import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalDiskStorage, ObjectNotFoundError, readAll, S3Storage, StorageUnavailableError, tenantKey, tenantPrefix, UnsafeKeyError, type ObjectStorage } from '@switchboard/platform';
import { fakeS3, type FakeS3 } from '../support/fake-s3';

const MB = 1024 * 1024;
const TENANT = '0b6f3a52-8a9e-4c39-9a51-1b8f0d7c2e11';
const OTHER = '6d1c7e0a-2f4b-4d8e-b5a3-9c0e1f2a3b4c';

/** A stream of `size` random bytes, produced in small chunks (never one big buffer), and its SHA-256. */
function bytes(size: number): { stream: Readable; sha256: Promise<string> } {
  const hash = createHash('sha256');
  let left = size;
  let done: (v: string) => void;
  const sha256 = new Promise<string>((r) => (done = r));
  const stream = new Readable({
    read() {
      if (left === 0) {
        done(hash.digest('hex'));
        return this.push(null);
      }
      const chunk = randomBytes(Math.min(256 * 1024, left));
      hash.update(chunk);
      left -= chunk.length;
      this.push(chunk);
    },
  });
  return { stream, sha256 };
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let s3: FakeS3;
let dir: string;
beforeAll(async () => {
  s3 = await fakeS3(['files']);
  dir = mkdtempSync(join(tmpdir(), 'storage-spec-'));
});
afterAll(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

const s3Options = (extra: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) => ({
  bucket: 'files',
  region: 'us-east-1',
  endpoint: s3.endpoint,
  forcePathStyle: true,
  accessKeyId: 'k',
  secretAccessKey: 's',
  keyPrefix: 'deploy-a/',
  partSize: 5 * MB,
  queueSize: 2,
  presignSeconds: 30,
  checksums: 'when_supported' as const,
  ...extra,
});

describe.each([
  ['local disk', () => new LocalDiskStorage(dir)],
  ['S3', () => new S3Storage(s3Options({ serverSideEncryption: 'AES256' }))],
])('%s adapter', (_name, make) => {
  let storage: ObjectStorage;
  beforeAll(() => {
    storage = make();
  });
  afterAll(() => (storage as { close?: () => void }).close?.());

  it('stores a stream, reads it back whole and by range, heads and deletes it idempotently', async () => {
    const key = tenantKey(TENANT, 'attachments/small');
    await storage.put(key, Buffer.from('hello, storage'));
    expect(await storage.head(key)).toEqual({ key, size: 14 });
    expect((await readAll(await storage.get(key))).toString()).toBe('hello, storage');
    expect((await readAll(await storage.get(key, { start: 7, end: 13 }))).toString()).toBe('storage');
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.head(key)).toBeUndefined();
    await expect(storage.get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('streams a file larger than two parts and keeps every byte', async () => {
    const key = tenantKey(TENANT, 'attachments/large');
    const { stream, sha256 } = bytes(11 * MB + 123);
    await storage.put(key, stream);
    expect(await storage.head(key)).toEqual({ key, size: 11 * MB + 123 });
    expect(sha(await readAll(await storage.get(key)))).toBe(await sha256);
  });

  it('leaves nothing under the key when the source fails halfway', async () => {
    const key = tenantKey(TENANT, 'attachments/broken');
    const failing = Readable.from(
      (async function* () {
        for (let i = 0; i < 7 * 16; i++) yield Buffer.alloc(64 * 1024, i);
        throw new Error('client went away');
      })(),
    );
    await expect(storage.put(key, failing)).rejects.toThrow();
    expect(await storage.head(key)).toBeUndefined();
  });

  it('lists and deletes one tenant’s prefix without touching another tenant', async () => {
    for (const name of ['a', 'b', 'c']) await storage.put(tenantKey(OTHER, `exports/${name}`), Buffer.from(name));
    await storage.put(tenantKey(TENANT, 'keep/me'), Buffer.from('mine'));
    const listed = [];
    for await (const o of storage.list(tenantPrefix(OTHER))) listed.push(o);
    expect(listed.map((o) => o.key).sort()).toEqual(['a', 'b', 'c'].map((n) => tenantKey(OTHER, `exports/${n}`)));
    expect(await storage.deletePrefix(tenantPrefix(OTHER))).toBe(3);
    expect(await storage.deletePrefix(tenantPrefix(OTHER))).toBe(0);
    expect(await storage.head(tenantKey(TENANT, 'keep/me'))).toEqual({ key: tenantKey(TENANT, 'keep/me'), size: 4 });
  });

  it.each(['../etc/passwd', 'tenants/../../x', '/abs', 'a//b', 'a/./b', '.hidden', 'a/b/', 'back\\slash', 'sp ace', 'nul\u0000', '', 'x'.repeat(1000)])('refuses the hostile key %j', async (key) => {
    await expect(storage.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(storage.get(key)).rejects.toBeInstanceOf(UnsafeKeyError);
    await expect(storage.delete(key)).rejects.toBeInstanceOf(UnsafeKeyError);
  });

  it('builds tenant keys only from a tenant id and safe segments', () => {
    expect(() => tenantPrefix('../other')).toThrow(UnsafeKeyError);
    expect(() => tenantKey(TENANT, '../../' + OTHER + '/attachments/x')).toThrow(UnsafeKeyError);
    expect(tenantKey(TENANT.toUpperCase(), 'attachments/x')).toBe(`tenants/${TENANT}/attachments/x`);
  });
});

describe('local disk adapter', () => {
  it('keeps today’s layout: DATA_DIR/tenants/<tenant>/<key>, and no partial file after a failed write', async () => {
    const storage = new LocalDiskStorage(dir);
    await storage.put(tenantKey(TENANT, 'attachments/laid-out'), Buffer.from('x'));
    expect(readdirSync(join(dir, 'tenants', TENANT, 'attachments'))).toContain('laid-out');
    expect(readdirSync(join(dir, 'tenants', TENANT, 'attachments')).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(await storage.downloadUrl()).toBeUndefined();
  });
});

describe('S3 adapter', () => {
  it('uses multipart above one part, asks for server-side encryption, and prefixes keys', async () => {
    const storage = new S3Storage(s3Options({ serverSideEncryption: 'aws:kms', kmsKeyId: 'alias/files' }));
    const before = s3.calls.length;
    await storage.put(tenantKey(TENANT, 'attachments/mp'), bytes(6 * MB).stream);
    const ops = s3.calls.slice(before).map((c) => c.op);
    expect(ops).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);
    const stored = s3.objects('files').get(`deploy-a/tenants/${TENANT}/attachments/mp`);
    expect(stored?.body.length).toBe(6 * MB);
    expect(stored?.sse).toBe('aws:kms');
    expect(s3.pendingUploads()).toBe(0);
    storage.close();
  });

  it('signs a short-lived download URL that carries the file name and type', async () => {
    const storage = new S3Storage(s3Options());
    const key = tenantKey(TENANT, 'attachments/signed');
    await storage.put(key, Buffer.from('%PDF-1.4 signed'));
    const url = await storage.downloadUrl(key, { filename: 'Résumé "final".pdf', contentType: 'application/pdf' });
    expect(url).toContain('X-Amz-Expires=30');
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`);
    expect(await res.text()).toBe('%PDF-1.4 signed');
    expect(await new S3Storage(s3Options({ presignSeconds: 0 })).downloadUrl(key, { filename: 'a', contentType: 'b' })).toBeUndefined();
    storage.close();
  });

  it('reports an unreachable store or a missing bucket as unavailable, not as a missing file', async () => {
    const wrongBucket = new S3Storage(s3Options({ bucket: 'nope' }));
    await expect(wrongBucket.put(tenantKey(TENANT, 'x/y'), Buffer.from('x'))).rejects.toBeInstanceOf(StorageUnavailableError);
    const storage = new S3Storage(s3Options());
    s3.state.down = true;
    try {
      await expect(storage.head(tenantKey(TENANT, 'x/y'))).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      s3.state.down = false;
    }
    wrongBucket.close();
    storage.close();
  });
});
