import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, Optional, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { translateDatabaseError } from '../database/database-errors';
import { Metrics } from '../observability/metrics';
import { allowedMethods } from './allowed-methods';
import { IdempotentReplay } from './idempotency.interceptor';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, ProblemException, type ProblemDetails } from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  428: 'precondition-required',
  429: 'rate-limited',
  503: 'unavailable',
};

/** Errors raised by body parsing (http-errors objects) carry a client status and a `type`. */
interface ParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  limit?: number;
  /** The raw body, on parse errors. */
  body?: unknown;
}

const PARSER_DETAILS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'entity.too.large': 'The request body is larger than the server accepts.',
  'encoding.unsupported': 'The request body uses a content encoding the server does not accept.',
  'charset.unsupported': 'The request body uses a charset the server does not accept; use UTF-8.',
  'request.aborted': 'The client aborted the request.',
  'request.size.invalid': 'The request body does not match its Content-Length.',
  'stream.encoding.set': 'The request body could not be read.',
  'entity.verify.failed': 'The request body failed verification.',
};

/** What a parser error says to the client; a body that is JSON but not an object or array (strict parsing) is named as such. */
function parserDetail(error: ParserError): string | undefined {
  const detail = error.type ? PARSER_DETAILS[error.type] : undefined;
  if (!detail) return undefined;
  if (error.type === 'entity.too.large' && error.limit) return `${detail} The limit is ${error.limit} bytes.`;
  if (error.type === 'entity.parse.failed' && typeof error.body === 'string') {
    let value: unknown;
    try {
      value = JSON.parse(error.body);
    } catch {
      return detail;
    }
    if (value === null || typeof value !== 'object') return `The request body must be a JSON object; it is ${value === null ? 'null' : `a ${typeof value}`}.`;
  }
  return detail;
}

/** Every error leaves the api as application/problem+json; nothing else ever reaches a client. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  constructor(@Optional() private readonly metrics?: Metrics) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    if (exception instanceof IdempotentReplay) return exception.sendTo(res);
    this.send(req, res, this.toProblem(exception, req), exception);
  }

  /** Also used for requests no route (and so no filter) ever sees. */
  send(req: Request & { id?: string }, res: Response, { problem, headers }: { problem: ProblemDetails; headers: Record<string, string> }, exception?: unknown): void {
    problem.instance = req.originalUrl?.split('?')[0];
    if (req.id !== undefined) problem.requestId = String(req.id);
    if (problem.type === `${PROBLEM_TYPE_BASE}database-unavailable`) {
      this.metrics?.databaseUnavailable.inc();
      this.logger.warn({ err: exception instanceof Error ? exception.message : String(exception), requestId: problem.requestId }, 'Database unavailable');
    } else if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: problem.requestId }, 'Unhandled error');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  toProblem(exception: unknown, req: Request): { problem: ProblemDetails; headers: Record<string, string> } {
    if (exception instanceof ProblemException) {
      const p = exception.problem;
      return {
        problem: {
          type: PROBLEM_TYPE_BASE + p.type,
          title: p.title,
          status: p.status,
          detail: p.detail,
          ...(p.errors && p.errors.length > 0 ? { errors: p.errors } : {}),
          ...p.extensions,
        },
        headers: p.headers ?? {},
      };
    }
    const translated = translateDatabaseError(exception);
    if (translated) return this.toProblem(translated, req);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse() as { error?: Record<string, unknown>; details?: Record<string, unknown> };
      if (status === 503 && response?.details && response.error) {
        // A failed readiness check (terminus): name what is down and show every check.
        const down = Object.keys(response.error);
        return {
          problem: { ...this.generic(503, `Not ready: ${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} unavailable.`), checks: response.details },
          headers: { 'Retry-After': '5' },
        };
      }
      // Nest's not-found handler: no route took the request.
      if (status === HttpStatus.NOT_FOUND && /^Cannot [A-Z]+ /.test(exception.message)) return this.notFound(req);
      return { problem: this.generic(status, this.detailOf(exception)), headers: {} };
    }
    const parser = exception as ParserError;
    const status = parser?.statusCode ?? parser?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { problem: this.generic(status, parserDetail(parser) ?? 'The request could not be read.'), headers: {} };
    }
    if (exception instanceof SyntaxError || exception instanceof URIError) {
      return { problem: this.generic(400, 'The request could not be parsed.'), headers: {} };
    }
    return { problem: this.generic(500, 'An unexpected error occurred; it has been logged.'), headers: {} };
  }

  /**
   * The answer for a request no route took, including those outside the /v1 prefix: 405 with
   * `Allow` when the path exists under other methods, otherwise 404.
   */
  notFound(req: Request): { problem: ProblemDetails; headers: Record<string, string> } {
    const path = req.originalUrl.split('?')[0];
    const allowed = allowedMethods(req);
    if (allowed.length > 0) {
      return {
        problem: this.generic(405, `${req.method} is not allowed on ${path}; it allows ${allowed.join(', ')}.`),
        headers: { Allow: allowed.join(', ') },
      };
    }
    return { problem: this.generic(404, `No route matches ${req.method} ${path}.`), headers: {} };
  }

  private generic(status: number, detail: string): ProblemDetails {
    return {
      type: PROBLEM_TYPE_BASE + (SLUGS[status] ?? (status >= 500 ? 'server-error' : 'client-error')),
      title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
      status,
      detail,
    };
  }

  private detailOf(exception: HttpException): string {
    // Nest wraps body-parser errors (http-errors) in an HttpException whose cause is the original.
    const cause = exception.cause as ParserError | undefined;
    const parsed = cause ? parserDetail(cause) : undefined;
    if (parsed) return parsed;
    if (exception.cause instanceof SyntaxError) return PARSER_DETAILS['entity.parse.failed'];
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'message' in response) {
      const message = (response as { message: unknown }).message;
      if (Array.isArray(message)) return message.join('; ');
      if (typeof message === 'string') return message;
    }
    return exception.message;
  }
}
