import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.mjs': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'reports.mjs': 'text/javascript; charset=utf-8',
};

/** apps/api/console (a .mjs script: the build's clean step deletes .js files under apps/), found from the sources or from the compiled output (dist/apps/api/src/console). */
function findConsoleDir(): string | null {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'api', 'console');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Serves the agent console (`/console`, its reports page `/console/reports`): four static files held in memory, answered through
 * Nest's HTTP adapter so it works on express and fastify alike. Outside the /v1 prefix on purpose.
 */
export function mountConsole(app: INestApplication): void {
  const dir = findConsoleDir();
  if (!dir) return;
  const http = app.getHttpAdapter();
  for (const [file, type] of Object.entries(FILES)) {
    const body = readFileSync(join(dir, file), 'utf8');
    // The reports page is the same document; the script shows the view the path names.
    const paths = file === 'index.html' ? ['/console', '/console/', '/console/reports'] : [`/console/${file}`];
    for (const path of paths) {
      http.get(path, (_req: unknown, res: unknown) => {
        http.setHeader(res, 'Content-Type', type);
        http.setHeader(res, 'Cache-Control', 'no-cache');
        http.reply(res, body, 200);
      });
    }
  }
}
