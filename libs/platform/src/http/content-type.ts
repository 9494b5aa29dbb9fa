import type { IncomingMessage } from 'node:http';
import { ProblemException } from './problem';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const MULTIPART = /^multipart\/form-data\s*;/i;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

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
  throw new ProblemException({
    status: 415,
    type: 'unsupported-media-type',
    title: 'Unsupported Media Type',
    detail: type
      ? `Content-Type "${type.slice(0, 100)}" is not accepted; send application/json.`
      : 'A request body needs a Content-Type; send application/json.',
  });
}
