import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLock {
  path: string;
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `Another launcher (pid ${pid}) is using ${dataDir}. Stop it first, or give this one its own DATA_DIR.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * One launcher per data directory: two embedded databases on the same files would corrupt them.
 * The lock file holds the owner's pid; a lock left behind by a dead process is taken over.
 */
export function acquireDataDirLock(
  dataDir: string,
  pid: number = process.pid,
  isAlive: (pid: number) => boolean = isProcessAlive,
): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'launcher.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${pid}\n`, { flag: 'wx' });
      return { path, release: () => releaseIfOwned(path, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readLockOwner(path);
    // Our own pid in the file can only be a leftover (e.g. a container restarted with the same pid).
    if (owner !== undefined && owner !== pid && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
    removeQuietly(path);
  }
  throw new Error(`Could not take the lock ${path}: another process keeps recreating it.`);
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLockOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function releaseIfOwned(path: string, pid: number): void {
  if (readLockOwner(path) === pid) removeQuietly(path);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
