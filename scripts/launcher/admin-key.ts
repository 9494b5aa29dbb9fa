import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LauncherConfig } from './launcher-config';

export type AdminKey =
  | { source: 'env' | 'file' | 'generated'; key: string; path?: string }
  | { source: 'none' };

export function generateAdminKey(): string {
  return `sb_admin_${randomBytes(32).toString('base64url')}`;
}

/**
 * PLATFORM_ADMIN_KEY if set. Outside production the launcher otherwise makes one up once and keeps it
 * in the data dir, so that a restart does not invalidate what the developer already copied.
 */
export function resolveAdminKey(config: LauncherConfig): AdminKey {
  if (config.platformAdminKey) return { source: 'env', key: config.platformAdminKey };
  if (config.nodeEnv === 'production') return { source: 'none' };
  const path = join(config.dataDir, 'platform-admin-key');
  if (existsSync(path)) return { source: 'file', key: readKeyFile(path), path };
  const key = generateAdminKey();
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { source: 'generated', key, path };
}

function readKeyFile(path: string): string {
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < 24) throw new Error(`${path} does not hold a usable key; delete it and a new one is generated.`);
  return key;
}
