import type { IncomingMessage } from 'node:http';
import { ProblemException } from './problem';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const MULTIPART = /^multipart\/form-data\s*;/i;
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Paths (with the /v1 prefix) whose handler reads an HTML form post itself. */
const formPaths = new Set<string>();

/**
 * Lets `application/x-www-form-urlencoded` bodies through to one route, whose handler reads the
 * request stream itself: a browser form posted by a third party (a SAML IdP's HTTP-POST binding).
 * Called at boot by the context that owns the route; every other route still answers 415.
 */
export function acceptFormPostsAt(path: string): void {
  formPaths.add(path);
}

/**
 * What a multipart request's `req.body` is: set before the JSON parser (which then leaves it), so
 * that a JSON endpoint's body validation can tell "sent as a form" from "sent nothing" and answer
 * 415. Upload handlers read the request stream and never look at it.
 */
export const MULTIPART_BODY: object = Object.freeze({});

export const multipartOnJsonEndpoint = () =>
  new ProblemException({
    status: 415,
    type: 'unsupported-media-type',
    title: 'Unsupported Media Type',
    detail: 'This endpoint takes application/json; multipart/form-data is accepted only where a file is uploaded.',
  });

/**
 * A body the api cannot read is refused up front (415) rather than silently ignored. A multipart
 * body is marked (MULTIPART_BODY) for the endpoints that do not take one.
 */
export function refuseUnreadableBody(req: IncomingMessage & { body?: unknown }): void {
  if (!WITH_BODY.has(req.method ?? '')) return;
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return;
  const type = req.headers['content-type'] ?? '';
  if (JSON_TYPE.test(type)) return;
  if (MULTIPART.test(type)) {
    req.body = MULTIPART_BODY;
    return;
  }
  if (FORM.test(type) && formPaths.has((req.url ?? '').split('?')[0])) return;
  throw new ProblemException({
    status: 415,
    type: 'unsupported-media-type',
    title: 'Unsupported Media Type',
    detail: type
      ? `Content-Type "${type.slice(0, 100)}" is not accepted; send application/json.`
      : 'A request body needs a Content-Type; send application/json.',
  });
}
