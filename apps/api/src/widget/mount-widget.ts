import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';

/** apps/api/widget/widget.mjs (a .mjs file: the build's clean step deletes .js files under apps/), found from the sources or the compiled output. */
function findWidget(): string | null {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'api', 'widget', 'widget.mjs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Serves the web chat widget's script at `/widget.js` (outside /v1: the embed snippet's address
 * stays the same across API versions), held in memory, cacheable for five minutes and revalidated
 * by its ETag, loadable from any site (Cross-Origin-Resource-Policy: cross-origin).
 */
export function mountWidget(app: INestApplication): void {
  const file = findWidget();
  if (!file) return;
  const body = readFileSync(file, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const http = app.getHttpAdapter();
  http.get('/widget.js', (req: { headers: Record<string, string | undefined> }, res: unknown) => {
    http.setHeader(res, 'Content-Type', 'text/javascript; charset=utf-8');
    http.setHeader(res, 'Cache-Control', 'public, max-age=300, stale-while-revalidate=3600');
    http.setHeader(res, 'ETag', etag);
    http.setHeader(res, 'Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.headers['if-none-match'] === etag) return http.reply(res, '', 304);
    http.reply(res, body, 200);
  });
}
