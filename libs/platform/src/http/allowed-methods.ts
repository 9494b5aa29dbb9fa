import { METHODS } from 'node:http';
import type { Request } from 'express';

interface RouteLayer {
  route?: { methods: Record<string, boolean | undefined> };
  match(path: string): unknown;
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** express 5's `app.all` registers the route under every method Node knows. */
const isCatchAll = (methods: Record<string, boolean | undefined>) => METHODS.every((m) => methods[m.toLowerCase()]);

/**
 * The methods the app's routes answer on the request's path, read from express's router, so a
 * route added anywhere is counted without being listed. Catch-all routes (`app.all`, which Nest
 * uses for its not-found handler) and mounted routers are not resources and are skipped; GET
 * implies HEAD, as express answers it. Called only for a request no route took, so the walk over
 * the routes costs nothing on the way of an answered request.
 */
export function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } } | undefined)?.router?.stack ?? [];
  const url = req.originalUrl ?? req.url;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const methods = new Set<string>();
  for (const layer of stack) {
    const route = layer.route;
    if (!route || route.methods._all || !layer.match(path) || isCatchAll(route.methods)) continue;
    for (const [method, on] of Object.entries(route.methods)) if (on) methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  const rank = (m: string) => (ORDER.includes(m) ? ORDER.indexOf(m) : ORDER.length);
  return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
