import { rmSync } from 'node:fs';
import type { E2eDatabase } from './global-setup';

/**
 * Stops the embedded database (and removes its directory), or drops the run's database on the
 * external server; removes the run's data directory (mail, attachments, private Redis and
 * fault-suite databases live under it).
 */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __e2ePg?: E2eDatabase }).__e2ePg?.stop();
  const dataDir = (globalThis as { __e2eDataDir?: string }).__e2eDataDir;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
