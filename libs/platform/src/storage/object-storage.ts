import type { Readable } from 'node:stream';

/** What a stored object is, as far as the port tells. */
export interface ObjectInfo {
  key: string;
  size: number;
}

export interface PutOptions {
  contentType?: string;
}

export interface DownloadUrlOptions {
  filename: string;
  contentType: string;
}

/** No object under this key (a missing file, or one deleted meanwhile). */
export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object under ${key}`);
  }
}

/** The store could not be reached or refused the call (network, credentials, bucket). */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A key the port refuses to touch: empty, too long, absolute, or stepping out of its prefix. */
export class UnsafeKeyError extends Error {}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const MAX_KEY = 900;

/**
 * Keys are `/`-separated segments of letters, digits, `.`, `_` and `-`, none empty, none `.` or
 * `..`, none starting with a dot: the same key is then safe as a relative path on disk and as an
 * S3 key, and no caller-supplied piece can step out of a tenant's prefix.
 */
export function assertSafeKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY) throw new UnsafeKeyError(`Refused storage key of length ${String(key?.length)}`);
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment) || segment.startsWith('.')) throw new UnsafeKeyError(`Refused storage key ${JSON.stringify(key.slice(0, 100))}`);
  }
  return key;
}

/** A prefix is a key that names a folder: the same rules, written with a trailing `/`. */
export function assertSafePrefix(prefix: string): string {
  if (!prefix.endsWith('/')) throw new UnsafeKeyError(`A prefix ends with "/": ${JSON.stringify(prefix.slice(0, 100))}`);
  assertSafeKey(prefix.slice(0, -1));
  return prefix;
}

/**
 * Where files live: the local disk (one machine) or an S3-compatible object store (any number of
 * machines). Keys are full keys (`tenants/<tenant>/attachments/<id>`); callers that deal with a
 * tenant's files go through `TenantFiles`, which builds them.
 */
export abstract class ObjectStorage {
  abstract readonly driver: 'local' | 's3';

  /** Streams the body to the store; on any failure nothing is left under the key (no partial object). */
  abstract put(key: string, body: Readable | Buffer, options?: PutOptions): Promise<void>;

  /** The object's bytes (all, or `start`..`end` inclusive). Throws ObjectNotFoundError. */
  abstract get(key: string, range?: { start: number; end: number }): Promise<Readable>;

  /** Size of the object, or undefined when there is none. */
  abstract head(key: string): Promise<ObjectInfo | undefined>;

  /** Deletes one object; deleting a missing one is not an error (idempotent). */
  abstract delete(key: string): Promise<void>;

  /** Every object under a prefix, in pages read lazily. */
  abstract list(prefix: string): AsyncIterable<ObjectInfo>;

  /** Deletes every object under a prefix; returns how many were deleted. Idempotent. */
  abstract deletePrefix(prefix: string): Promise<number>;

  /** A short-lived URL the client may download from directly, when the store and the config offer one. */
  abstract downloadUrl(key: string, options: DownloadUrlOptions): Promise<string | undefined>;
}

/** Reads a whole (small) stream into memory: sniffing, checksums in tests and the migration. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
