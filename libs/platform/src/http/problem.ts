import { HttpException } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://switchboard.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Throw this anywhere to answer with a precise problem+json; `type` is a short slug. */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: {
      status: number;
      type: string;
      title: string;
      detail: string;
      errors?: FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    },
  ) {
    super(problem.detail, problem.status);
  }
}

export const notFound = (what: string, id?: string) =>
  new ProblemException({
    status: 404,
    type: 'not-found',
    title: 'Not Found',
    detail: id ? `${what} ${id} does not exist.` : `${what} does not exist.`,
  });
