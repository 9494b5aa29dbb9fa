import { createHash, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import Busboy from 'busboy';
import type { Request } from 'express';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ProblemException } from '../http/problem';
import { assertSafeKey, ObjectNotFoundError, ObjectStorage, readAll, StorageUnavailableError, UnsafeKeyError } from './object-storage';

export interface StoredUpload {
  /** Where the bytes are, relative to the tenant's directory. */
  key: string;
  filename: string;
  declaredType: string;
  size: number;
  sha256: string;
}

class TooLarge extends Error {}

const tooLarge = (limit: number) =>
  new ProblemException({ status: 413, type: 'payload-too-large', title: 'Content Too Large', detail: `The file is larger than the limit of ${limit} bytes.` });

/** A name safe to show and to put in Content-Disposition: no directories, no control characters. */
export function safeFilename(name: string | undefined): string {
  // Browsers percent-encode only these three in multipart file names (WHATWG HTML).
  const decoded = (name ?? '').replace(/%22/gi, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
  const base = basename(decoded.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  const cleaned = base.replace(/^\.+/, '').slice(0, 200);
  return cleaned || 'file';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every object of a tenant lives under this prefix, whatever the store. */
export function tenantPrefix(tenantId: string): string {
  if (!UUID.test(tenantId)) throw new UnsafeKeyError(`Refused tenant id ${JSON.stringify(String(tenantId).slice(0, 50))}`);
  return `tenants/${tenantId.toLowerCase()}/`;
}

/** The store's key of a tenant's file (`key` as kept in the tenant's rows, e.g. `attachments/<id>`). */
export function tenantKey(tenantId: string, key: string): string {
  return tenantPrefix(tenantId) + assertSafeKey(key);
}

const unavailable = (error: unknown) =>
  new ProblemException({ status: 503, type: 'storage-unavailable', title: 'Service Unavailable', detail: `File storage is not reachable right now; try again shortly. (${(error as Error).message})`.slice(0, 500) });

/**
 * A tenant's files, on whatever `ObjectStorage` the config chose, under `tenants/<tenant>/`
 * (the tenant purge deletes that prefix). Uploads stream to the store with a byte limit and a
 * running SHA-256; they are never held in memory whole.
 */
@Injectable()
export class TenantFiles implements OnApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: ObjectStorage,
  ) {}

  get driver(): ObjectStorage['driver'] {
    return this.storage.driver;
  }

  onApplicationShutdown(): void {
    (this.storage as { close?: () => void }).close?.();
  }

  /** Reads the single `file` field of a multipart request into `area/<new id>`. */
  async receive(req: Request, tenantId: string, area: string): Promise<StoredUpload> {
    const limit = this.config.ATTACHMENT_MAX_BYTES;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit + 64 * 1024) throw tooLarge(limit); // refuse before reading a byte
    let busboy: Busboy.Busboy;
    try {
      busboy = Busboy({ headers: req.headers, limits: { files: 1, fileSize: limit, fields: 10, parts: 20 } });
    } catch {
      throw new ProblemException({ status: 400, type: 'bad-request', title: 'Bad Request', detail: 'Send the file as multipart/form-data in a field named "file".' });
    }
    const key = `${area}/${randomUUID()}`;
    const target = tenantKey(tenantId, key);
    let written: Promise<StoredUpload> | undefined;
    let settled: Promise<PromiseSettledResult<unknown>[]> | undefined;
    const stored = new Promise<StoredUpload>((resolve, reject) => {
      let seen = false;
      busboy.on('file', (field, stream, info) => {
        if (field !== 'file' || seen) {
          stream.resume();
          return;
        }
        seen = true;
        const hash = createHash('sha256');
        let size = 0;
        const meter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            size += chunk.length;
            hash.update(chunk);
            done(null, chunk);
          },
        });
        const body = new PassThrough();
        stream.on('limit', () => stream.destroy(new TooLarge()));
        const reading = pipeline(stream, meter, body);
        // The store consumes `body`; a failing store stops the reading too, and a failing read fails the store's write.
        const storing = this.storage.put(target, body, { contentType: 'application/octet-stream' }).catch((error: unknown) => {
          stream.destroy(error as Error);
          throw error;
        });
        settled = Promise.allSettled([reading, storing]);
        written = Promise.all([reading, storing]).then(() => ({ key, filename: safeFilename(info.filename), declaredType: info.mimeType, size, sha256: hash.digest('hex') }));
        written.catch(reject);
      });
      busboy.on('error', reject);
      // A second file would otherwise be dropped without a word while the first is stored.
      busboy.on('filesLimit', () =>
        reject(
          new ProblemException({
            status: 400,
            type: 'validation-failed',
            title: 'Bad Request',
            detail: 'Send one file per request: the limit is 1 file, in the field "file".',
            errors: [{ field: 'file', message: 'takes at most 1 file per request' }],
          }),
        ),
      );
      // Settled when the whole body is read, so a second file after the first is still refused.
      busboy.on('close', () => {
        if (written) resolve(written);
        if (!seen) reject(new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'The request has no file in a field named "file".', errors: [{ field: 'file', message: 'is required' }] }));
      });
    });
    req.pipe(busboy);
    try {
      const upload = await stored;
      if (upload.size === 0) throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'The file is empty.', errors: [{ field: 'file', message: 'must not be empty' }] });
      return upload;
    } catch (error) {
      // Refused while the first file may still be writing (a second file): let it finish, then
      // delete what it stored (a failed write cleans up after itself before it settles).
      const outcomes = await settled;
      if (outcomes?.every((o) => o.status === 'fulfilled')) await this.storage.delete(target).catch(() => undefined);
      if (error instanceof TooLarge) throw tooLarge(limit);
      if (error instanceof ProblemException) throw error;
      if (error instanceof StorageUnavailableError) throw unavailable(error);
      throw new ProblemException({ status: 400, type: 'bad-request', title: 'Bad Request', detail: 'The multipart body could not be read.' });
    }
  }

  /** Stores bytes already in memory (a parsed email's attachment) under `key`. */
  async write(tenantId: string, key: string, content: Buffer, contentType = 'application/octet-stream'): Promise<void> {
    await this.storage.put(tenantKey(tenantId, key), content, { contentType });
  }

  /** The first bytes of a file (for sniffing its type). */
  async head(tenantId: string, key: string, bytes = 4100): Promise<Buffer> {
    try {
      return await readAll(await this.storage.get(tenantKey(tenantId, key), { start: 0, end: bytes - 1 }));
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw unavailable(error);
      throw error;
    }
  }

  /** The file's bytes as a stream; a missing file is a 404, an unreachable store a 503. */
  async read(tenantId: string, key: string): Promise<Readable> {
    try {
      return await this.storage.get(tenantKey(tenantId, key));
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw new ProblemException({ status: 404, type: 'not-found', title: 'Not Found', detail: 'The file of this attachment is no longer stored.' });
      if (error instanceof StorageUnavailableError) throw unavailable(error);
      throw error;
    }
  }

  /** A short-lived URL to download from the store directly, when configured (STORAGE_PRESIGNED_DOWNLOADS). */
  downloadUrl(tenantId: string, key: string, options: { filename: string; contentType: string }): Promise<string | undefined> {
    return this.storage.downloadUrl(tenantKey(tenantId, key), options);
  }

  async remove(tenantId: string, key: string): Promise<void> {
    await this.storage.delete(tenantKey(tenantId, key));
  }

  /** Deletes every file of a tenant (tenant purge); idempotent. */
  removeAll(tenantId: string): Promise<number> {
    return this.storage.deletePrefix(tenantPrefix(tenantId));
  }
}
