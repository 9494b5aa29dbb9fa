import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { ProblemException } from '@switchboard/platform';
import type { Response } from 'express';

export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 scimType values used here. */
export type ScimType = 'invalidFilter' | 'invalidSyntax' | 'invalidValue' | 'invalidPath' | 'mutability' | 'uniqueness' | 'noTarget' | 'tooMany';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

/**
 * SCIM clients read SCIM's error schema, not problem+json (RFC 7644 §3.12): every error on the
 * SCIM routes, including validation, 404 and unexpected ones, leaves in that shape.
 */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SCIM');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let detail = 'An unexpected error occurred.';
    let scimType: ScimType | undefined;
    if (exception instanceof ScimError) {
      ({ status, scimType } = exception);
      detail = exception.message;
    } else if (exception instanceof ProblemException) {
      status = exception.problem.status;
      detail = exception.problem.detail;
      if (status === 400) scimType = 'invalidValue';
      for (const [name, value] of Object.entries(exception.problem.headers ?? {})) if (name.toLowerCase() === 'retry-after') res.setHeader(name, value);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      detail = typeof body === 'string' ? body : exception.message;
      if (status === 400) scimType = 'invalidSyntax';
    } else {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="switchboard-scim"');
    res
      .status(status)
      .type(SCIM_CONTENT_TYPE)
      .send(JSON.stringify({ schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail }));
  }
}
