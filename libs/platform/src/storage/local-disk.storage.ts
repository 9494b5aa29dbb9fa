import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertSafeKey, assertSafePrefix, ObjectNotFoundError, ObjectStorage, type ObjectInfo, type PutOptions } from './object-storage';

const PARTIAL = '.part';

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Files under one directory (DATA_DIR), laid out by key: `tenants/<tenant>/attachments/<id>` is
 * `DATA_DIR/tenants/<tenant>/attachments/<id>`, as before the port existed. A write goes to a
 * `.part` file renamed into place, so a reader never sees half a file.
 */
export class LocalDiskStorage extends ObjectStorage {
  readonly driver = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  /** The file of a key; refuses anything that would resolve outside the root. */
  pathOf(key: string): string {
    const path = join(this.root, assertSafeKey(key));
    if (!path.startsWith(this.root + sep)) throw new ObjectNotFoundError(key);
    return path;
  }

  async put(key: string, body: Readable | Buffer, _options?: PutOptions): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.${randomUUID()}${PARTIAL}`;
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(partial));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const file = await open(this.pathOf(key), 'r');
      return file.createReadStream(range ? { start: range.start, end: range.end } : {});
    } catch (error) {
      if (missing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, size: info.size } : undefined;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const dir = this.pathOf(assertSafePrefix(prefix).slice(0, -1));
    let entries;
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (missing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.endsWith(PARTIAL)) continue;
      const path = join(entry.parentPath, entry.name);
      const key = relative(this.root, path).split(sep).join('/');
      const info = await stat(path).catch(() => undefined);
      if (info) yield { key, size: info.size };
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for await (const _ of this.list(prefix)) count++;
    await rm(this.pathOf(assertSafePrefix(prefix).slice(0, -1)), { recursive: true, force: true });
    return count;
  }

  async downloadUrl(): Promise<string | undefined> {
    return undefined; // the api streams local files itself
  }
}
