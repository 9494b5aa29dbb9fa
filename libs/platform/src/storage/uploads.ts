import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import Busboy from 'busboy';
import type { Request } from 'express';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ProblemException } from '../http/problem';

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

/**
 * Files of a tenant live under DATA_DIR/tenants/<tenant>/ (the tenant purge removes that
 * directory). Uploads stream to disk with a byte limit and a running SHA-256; they are never
 * held in memory whole.
 */
@Injectable()
export class TenantFiles {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private dir(tenantId: string): string {
    return join(this.config.DATA_DIR, 'tenants', tenantId);
  }

  path(tenantId: string, key: string): string {
    return join(this.dir(tenantId), key);
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
    await mkdir(join(this.dir(tenantId), area), { recursive: true });
    const key = join(area, randomUUID());
    const target = this.path(tenantId, key);
    const partial = `${target}.part`;
    let written: Promise<StoredUpload> | undefined;
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
        stream.on('limit', () => stream.destroy(new TooLarge()));
        written = pipeline(stream, meter, createWriteStream(partial)).then(() => ({ key, filename: safeFilename(info.filename), declaredType: info.mimeType, size, sha256: hash.digest('hex') }));
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
      await rename(partial, target);
      return upload;
    } catch (error) {
      // Refused while the first file may still be writing (a second file): let it finish, or the
      // write stream could create the partial file after it is removed.
      await written?.catch(() => undefined);
      await rm(partial, { force: true });
      if (error instanceof TooLarge) throw tooLarge(limit);
      if (error instanceof ProblemException) throw error;
      throw new ProblemException({ status: 400, type: 'bad-request', title: 'Bad Request', detail: 'The multipart body could not be read.' });
    }
  }

  async head(tenantId: string, key: string, bytes = 4100): Promise<Buffer> {
    const file = await open(this.path(tenantId, key), 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await file.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async size(tenantId: string, key: string): Promise<number> {
    return (await stat(this.path(tenantId, key))).size;
  }

  read(tenantId: string, key: string): ReadStream {
    return createReadStream(this.path(tenantId, key));
  }

  async remove(tenantId: string, key: string): Promise<void> {
    await rm(this.path(tenantId, key), { force: true });
  }
}
