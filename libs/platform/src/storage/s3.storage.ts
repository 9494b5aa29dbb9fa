import type * as ClientS3 from '@aws-sdk/client-s3';
import type { S3Client, ServerSideEncryption } from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';
import type * as RequestPresigner from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { onFirstUse } from '../modules/on-first-use';
import { assertSafeKey, assertSafePrefix, ObjectNotFoundError, ObjectStorage, StorageUnavailableError, UnsafeKeyError, type DownloadUrlOptions, type ObjectInfo, type PutOptions } from './object-storage';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Prepended to every key, so that several deployments may share a bucket. Empty or ending in `/`. */
  keyPrefix: string;
  serverSideEncryption?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  /** Bytes per part of a multipart upload (S3's minimum is 5 MiB); smaller bodies go in one PUT. */
  partSize: number;
  /** Parts in flight per upload. */
  queueSize: number;
  /** Seconds a presigned download URL is valid; 0: the api proxies downloads itself. */
  presignSeconds: number;
  /** `when_required` for stores that do not understand the SDK's default trailing checksums. */
  checksums: 'when_supported' | 'when_required';
}

/** The AWS SDK is loaded when an S3 store is built, not in a process that stores on disk. */
const clientS3 = onFirstUse<typeof ClientS3>('@aws-sdk/client-s3');
const libStorage = onFirstUse<typeof LibStorage>('@aws-sdk/lib-storage');
const requestPresigner = onFirstUse<typeof RequestPresigner>('@aws-sdk/s3-request-presigner');

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
/** A missing object (a missing bucket is a broken deployment, not a missing file). */
const notFound = (error: unknown) => ['NoSuchKey', 'NotFound'].includes((error as Error).name) && status(error) === 404;

/**
 * Any S3-compatible object store through the official AWS SDK v3. Uploads stream through
 * `@aws-sdk/lib-storage` (multipart above one part, aborted on failure so no parts linger), and
 * downloads stream from GetObject; presigned GET URLs are offered when configured.
 */
export class S3Storage extends ObjectStorage {
  readonly driver = 's3' as const;
  readonly client: S3Client;

  constructor(private readonly options: S3StorageOptions) {
    super();
    if (options.keyPrefix) assertSafePrefix(options.keyPrefix);
    this.client = new (clientS3().S3Client)({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      ...(options.accessKeyId && options.secretAccessKey ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } } : {}),
      requestChecksumCalculation: options.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
      responseChecksumValidation: options.checksums === 'when_required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED',
      maxAttempts: 3,
    });
  }

  private objectKey(key: string): string {
    return this.options.keyPrefix + assertSafeKey(key);
  }

  private async call<T>(what: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (notFound(error)) throw new ObjectNotFoundError(key);
      if (error instanceof ObjectNotFoundError || error instanceof StorageUnavailableError || error instanceof UnsafeKeyError) throw error;
      throw new StorageUnavailableError(`Object store ${what} of ${key} failed: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<void> {
    const upload = new (libStorage().Upload)({
      client: this.client,
      params: {
        Bucket: this.options.bucket,
        Key: this.objectKey(key),
        Body: body,
        ...(options.contentType ? { ContentType: options.contentType } : {}),
        ...(this.options.serverSideEncryption ? { ServerSideEncryption: this.options.serverSideEncryption as ServerSideEncryption } : {}),
        ...(this.options.kmsKeyId ? { SSEKMSKeyId: this.options.kmsKeyId } : {}),
      },
      partSize: this.options.partSize,
      queueSize: this.options.queueSize,
      leavePartsOnError: false,
    });
    // A failing source (a refused upload) fails the upload, which aborts its multipart upload.
    if (!Buffer.isBuffer(body)) body.once('error', () => void upload.abort().catch(() => undefined));
    await this.call('upload', key, () => upload.done());
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const out = await this.call('read', key, () =>
      this.client.send(new (clientS3().GetObjectCommand)({ Bucket: this.options.bucket, Key: this.objectKey(key), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) })),
    );
    if (!(out.Body instanceof Readable)) throw new StorageUnavailableError(`Object store read of ${key} returned no stream`);
    return out.Body;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.call('head', key, () => this.client.send(new (clientS3().HeadObjectCommand)({ Bucket: this.options.bucket, Key: this.objectKey(key) })));
      return { key, size: out.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.call('delete', key, () => this.client.send(new (clientS3().DeleteObjectCommand)({ Bucket: this.options.bucket, Key: this.objectKey(key) })));
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const full = this.options.keyPrefix + assertSafePrefix(prefix);
    const pages = clientS3().paginateListObjectsV2({ client: this.client, pageSize: 1000 }, { Bucket: this.options.bucket, Prefix: full });
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key) yield { key: object.Key.slice(this.options.keyPrefix.length), size: object.Size ?? 0 };
        }
      }
    } catch (error) {
      if (error instanceof StorageUnavailableError) throw error;
      throw new StorageUnavailableError(`Object store listing of ${prefix} failed: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    // Listing again after each batch: a deleted page may shift what a continuation token points at.
    for (;;) {
      const batch: string[] = [];
      for await (const object of this.list(prefix)) {
        batch.push(this.objectKey(object.key));
        if (batch.length === 1000) break;
      }
      if (batch.length === 0) return deleted;
      const out = await this.call('delete', prefix, () =>
        this.client.send(new (clientS3().DeleteObjectsCommand)({ Bucket: this.options.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })),
      );
      if (out.Errors?.length) throw new StorageUnavailableError(`Object store refused to delete ${out.Errors.length} objects under ${prefix}: ${out.Errors[0]?.Code ?? ''} ${out.Errors[0]?.Message ?? ''}`);
      deleted += batch.length;
    }
  }

  async downloadUrl(key: string, options: DownloadUrlOptions): Promise<string | undefined> {
    if (this.options.presignSeconds <= 0) return undefined;
    const command = new (clientS3().GetObjectCommand)({
      Bucket: this.options.bucket,
      Key: this.objectKey(key),
      ResponseContentType: options.contentType,
      ResponseContentDisposition: contentDisposition(options.filename),
    });
    return requestPresigner().getSignedUrl(this.client, command, { expiresIn: this.options.presignSeconds });
  }

  close(): void {
    this.client.destroy();
  }
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266). */
export function contentDisposition(filename: string): string {
  return `attachment; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
