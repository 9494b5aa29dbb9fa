import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDataDirLock, DataDirLockedError } from './lock';

describe('acquireDataDirLock', () => {
  let dir: string;
  beforeEach(() => (dir = join(mkdtempSync(join(tmpdir(), 'launcher-lock-')), 'data')));
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  const alive = () => true;
  const dead = () => false;

  it('creates the data dir and a lock file holding the pid, removed on release', () => {
    const lock = acquireDataDirLock(dir, 4242, alive);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe('4242');
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses a data dir whose launcher is still running', () => {
    acquireDataDirLock(dir, 4242, alive);
    expect(() => acquireDataDirLock(dir, 5353, alive)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir, 5353, alive)).toThrow(/pid 4242/);
  });

  it('takes over the lock of a launcher that died', () => {
    acquireDataDirLock(dir, 4242, alive);
    const lock = acquireDataDirLock(dir, 5353, dead);
    expect(readFileSync(lock.path, 'utf8').trim()).toBe('5353');
  });

  it('takes over a lock that holds its own pid or garbage', () => {
    acquireDataDirLock(dir, 4242, alive);
    expect(() => acquireDataDirLock(dir, 4242, alive)).not.toThrow();
    writeFileSync(join(dir, 'launcher.lock'), 'not a pid');
    expect(() => acquireDataDirLock(dir, 5353, alive)).not.toThrow();
  });

  it('does not remove a lock that another launcher took over meanwhile', () => {
    const stale = acquireDataDirLock(dir, 4242, alive);
    acquireDataDirLock(dir, 5353, dead);
    stale.release();
    expect(readFileSync(stale.path, 'utf8').trim()).toBe('5353');
  });
});
