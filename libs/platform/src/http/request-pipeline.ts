import type { NextFunction, Request, Response } from 'express';
import type { Logger as Pino } from 'pino';
import { requestIdFor } from '../observability/logger.module';
import type { Metrics } from '../observability/metrics';
import { activeTraceFields } from '../observability/trace-context';
import { refuseUnreadableBody } from './content-type';
import { API_VERSION } from './deprecation';

type Middleware = (req: Request & { id?: string | number }, res: Response, next: NextFunction) => void;

/**
 * Security headers for everything that is not a page: JSON, problem+json, metrics, files. A
 * response that is never rendered needs no script or style policy, only: load nothing from it,
 * never frame it, do not sniff it, send no referrer, HTTPS only, same-origin readers only (CORS
 * responses are unaffected). Static, so a handful of setHeader calls instead of helmet's dozen
 * middlewares; the pages get helmet's full set.
 */
export const API_SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

/** The path without its query string. */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

const under = (path: string, root: string) => path === root || (path.startsWith(root) && path.charCodeAt(root.length) === 47 /* / */);

/** Pages and their assets: Swagger UI (`/docs`) and the agent console (`/console`). */
export function isPageRoute(url: string): boolean {
  const path = pathOf(url);
  return under(path, '/docs') || under(path, '/console');
}

/** Probes and scrapes: a line each would drown the log (and cost CPU on the hottest paths). */
export function isQuietRoute(url: string): boolean {
  const path = pathOf(url);
  return path === '/metrics' || path.startsWith('/v1/health/');
}

export interface RequestEntryOptions {
  /** HTTP_LOG_REQUESTS: one line per request when it is done (never for quiet routes). */
  logRequests: boolean;
  /** Read on first use: the OpenAPI export configures the app without instantiating anything. */
  logger: () => Pino;
  metrics: () => Metrics;
  /** helmet's full set, for pages. */
  pageHeaders: Middleware;
}

/**
 * The first step of every request, in one express middleware: its id (accepted or made, echoed),
 * the security headers, the 415 for a body the api cannot read, and one listener for when the
 * response is done that records its latency and writes its log line.
 */
export function requestEntry({ logRequests, logger, metrics, pageHeaders }: RequestEntryOptions): Middleware {
  return (req, res, next) => {
    const requestId = requestIdFor(req, res);
    req.id = requestId;
    const url = req.url;
    const log = logRequests && !isQuietRoute(url);
    const started = performance.now();
    // Taken now: 'close' comes outside the request's async context, hence outside its span too.
    const traceFields = log ? activeTraceFields() : {};
    res.once('close', () => done(req, res, requestId, url, started, log ? logger() : null, metrics(), traceFields));
    if (isPageRoute(url)) return pageHeaders(req, res, next);
    for (const [name, value] of API_SECURITY_HEADERS) res.setHeader(name, value);
    res.setHeader('API-Version', API_VERSION);
    refuseUnreadableBody(req);
    next();
  };
}

/**
 * 'close' follows 'finish', or comes alone when the client went away first. Latency by route
 * template (not raw URL, so ids do not explode the label space), for answered requests. The log
 * line keeps the shape pino-http wrote; the id is passed explicitly because 'close' is not emitted
 * inside the request's async context.
 */
function done(req: Request, res: Response, requestId: string, url: string, started: number, log: Pino | null, metrics: Metrics, traceFields: ReturnType<typeof activeTraceFields>): void {
  const ms = performance.now() - started;
  const status = res.statusCode;
  if (res.writableFinished) {
    const route = req.route?.path ? `${req.baseUrl}${req.route.path as string}` : 'unmatched';
    metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, ms / 1000);
    // Set by @Deprecated routes: who still calls what is about to go away.
    if (res.hasHeader('Deprecation')) metrics.deprecatedRequests.inc({ method: req.method, route });
  }
  if (log) {
    const completed = res.writableEnded && !req.readableAborted;
    const msg = !completed ? 'request aborted' : status >= 500 ? 'request errored' : 'request completed';
    log.info({ requestId, ...traceFields, req: { id: requestId, method: req.method, url }, res: { statusCode: status }, responseTime: Math.round(ms * 10) / 10 }, msg);
  }
}
