import { Global, Module } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { CLS_ID, ClsService, ClsServiceManager, type ClsStore } from 'nestjs-cls';

/**
 * The apps' one AsyncLocalStorage (nestjs-cls): the request id of an HTTP request, a job's context,
 * the open tenant transaction. Provided directly rather than through `ClsModule.forRoot`, which
 * would also add a global guard and interceptor to every route (no-ops here, but each costs a step
 * of Nest's pipeline, and any interceptor at all builds the rxjs chain on every request). No proxy
 * providers or plugins are used, so nothing else of ClsModule is needed.
 */
@Global()
@Module({
  providers: [{ provide: ClsService, useValue: ClsServiceManager.getClsService() }],
  exports: [ClsService],
})
export class AsyncContextModule {}

/**
 * Express middleware: the rest of the request runs in a fresh store holding its request id (read by
 * every log line, see `requestIdMixin`). Mount it after the body parser: stream callbacks do not
 * carry the store, so a store entered before parsing would be gone by the time the route runs.
 */
export function requestContext(): (req: Request & { id?: string | number }, res: Response, next: NextFunction) => void {
  const cls = ClsServiceManager.getClsService();
  return (req, _res, next) => cls.runWith({ [CLS_ID]: req.id === undefined ? undefined : String(req.id), [REQUEST_URL]: req.originalUrl } as ClsStore, next);
}

/** The store's key for the request's URL (path and query), which list cursors are bound to. */
export const REQUEST_URL = Symbol('switchboard.requestUrl');

/** The URL of the HTTP request being served, if any (not in jobs or socket handlers). */
export const currentRequestUrl = (): string | undefined => ClsServiceManager.getClsService().get<string | undefined>(REQUEST_URL);
