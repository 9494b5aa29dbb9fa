import type { IncomingMessage } from 'node:http';
import { ProblemException } from './problem';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const MULTIPART = /^multipart\/form-data\s*;/i;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** A body the api cannot read is refused up front (415) rather than silently ignored. */
export function refuseUnreadableBody(req: IncomingMessage): void {
  if (!WITH_BODY.has(req.method ?? '')) return;
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return;
  const type = req.headers['content-type'] ?? '';
  if (JSON_TYPE.test(type) || MULTIPART.test(type)) return;
  throw new ProblemException({
    status: 415,
    type: 'unsupported-media-type',
    title: 'Unsupported Media Type',
    detail: type
      ? `Content-Type "${type.slice(0, 100)}" is not accepted; send application/json.`
      : 'A request body needs a Content-Type; send application/json.',
  });
}
