import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The compiled scripts the launcher runs; tests substitute their own. */
export interface Entrypoints {
  api: string;
  worker: string;
  migrate: string;
  /** Optional: skipped with a note when the file does not exist. */
  seed: string;
}

/** distDir is the root of the SWC output (the launcher itself is distDir/scripts/start.js). */
export function defaultEntrypoints(distDir: string): Entrypoints {
  return {
    api: join(distDir, 'apps/api/src/main.js'),
    worker: join(distDir, 'apps/worker/src/main.js'),
    migrate: join(distDir, 'scripts/migrate.js'),
    seed: join(distDir, 'scripts/seed.js'),
  };
}

/** The required entrypoints that are missing, as paths relative to cwd. */
export function missingEntrypoints(entrypoints: Entrypoints, cwd: string): string[] {
  return [entrypoints.api, entrypoints.worker, entrypoints.migrate]
    .filter((path) => !existsSync(path))
    .map((path) => relative(cwd, path));
}
