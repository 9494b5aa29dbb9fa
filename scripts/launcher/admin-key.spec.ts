import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAdminKey, resolveAdminKey } from './admin-key';
import { loadLauncherConfig } from './launcher-config';

describe('platform admin key', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'launcher-key-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const config = (env: Record<string, string> = {}) => loadLauncherConfig({ DATA_DIR: dataDir, ...env });

  it('generates 32 random bytes, base64url, with the sb_admin_ prefix', () => {
    const key = generateAdminKey();
    expect(key).toMatch(/^sb_admin_[A-Za-z0-9_-]{43}$/);
    expect(generateAdminKey()).not.toBe(key);
  });

  it('uses PLATFORM_ADMIN_KEY when it is set', () => {
    const key = 'k'.repeat(30);
    expect(resolveAdminKey(config({ PLATFORM_ADMIN_KEY: key }))).toEqual({ source: 'env', key });
  });

  it('generates one outside production, keeps it private, and reuses it on the next start', () => {
    const first = resolveAdminKey(config());
    expect(first.source).toBe('generated');
    if (first.source === 'none') throw new Error('unreachable');
    const path = join(dataDir, 'platform-admin-key');
    expect(readFileSync(path, 'utf8').trim()).toBe(first.key);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(resolveAdminKey(config())).toEqual({ source: 'file', key: first.key, path });
  });

  it('makes none up in production', () => {
    expect(resolveAdminKey(config({ NODE_ENV: 'production' }))).toEqual({ source: 'none' });
  });
});
