import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ProblemException } from './problem';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;
const MULTIPART = /^multipart\/form-data\s*;/i;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** A body the api cannot read is refused up front rather than silently ignored. */
@Injectable()
export class ContentTypeMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    if (!WITH_BODY.has(req.method)) return next();
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return next();
    const type = req.headers['content-type'] ?? '';
    if (JSON_TYPE.test(type) || MULTIPART.test(type)) return next();
    throw new ProblemException({
      status: 415,
      type: 'unsupported-media-type',
      title: 'Unsupported Media Type',
      detail: type
        ? `Content-Type "${type.slice(0, 100)}" is not accepted; send application/json.`
        : 'A request body needs a Content-Type; send application/json.',
    });
  }
}
