import { QueryFailedError } from 'typeorm';
import { ProblemException } from '../http/problem';

interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
  column?: string;
  table?: string;
}

/** Columns named in Postgres' `Key (tenant_id, email)=(…)` detail, without the tenant. */
function keyFields(detail: string | undefined): string[] {
  const match = detail ? /Key \(([^)]+)\)/.exec(detail) : null;
  if (!match) return [];
  return match[1]
    .split(',')
    .map((s) => s.trim().replace(/^"|"$/g, ''))
    .filter((f) => f !== 'tenant_id');
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * SQLSTATEs that say the database cannot serve right now (shutting down, starting, out of
 * connections, connection lost, a statement or an idle transaction cut off by its limit), and
 * what the pool and driver throw when they cannot reach it at all.
 */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400', '57014', '25P03', '08000', '08001', '08003', '08004', '08006']);
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|EPIPE|Connection terminated|timeout exceeded when trying to connect|connection timeout|Client has encountered a connection error|terminating connection/i;

/** Whether an error means the database is unavailable (a 503 to retry), rather than the request or the code at fault. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error instanceof QueryFailedError ? (error.driverError as PgError & Error) : (error as Error & PgError);
  if (cause?.code && UNAVAILABLE_CODES.has(cause.code)) return true;
  if (cause?.code && /^(ECONN|ETIMEDOUT|EHOSTUNREACH|EPIPE)/.test(cause.code)) return true;
  return UNREACHABLE.test(cause?.message ?? '') || UNREACHABLE.test(error.message);
}

/**
 * Deadlock (40P01) and serialization failure (40001): Postgres rolled the whole transaction back
 * because of another one running at the same time, so running it again from the start is safe and
 * will usually succeed (PostgreSQL manual, "Serialization Failure Handling").
 */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

/** Whether the transaction failed only because of a concurrent one, and may simply run again. */
export function isRetryableConflict(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error instanceof QueryFailedError ? (error.driverError as PgError) : (error as Error & PgError);
  return cause?.code !== undefined && RETRYABLE_CODES.has(cause.code);
}

export const DATABASE_RETRY_AFTER_SECONDS = 2;

export function databaseUnavailable(): ProblemException {
  return new ProblemException({
    status: 503,
    type: 'database-unavailable',
    title: 'Service Unavailable',
    detail: `The database is unavailable right now; retry in ${DATABASE_RETRY_AFTER_SECONDS} s.`,
    headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
  });
}

/**
 * Turns a database error into the problem a client can act on, once, centrally. Raw driver
 * messages never reach a client. Returns null for errors that are the server's fault.
 */
export function translateDatabaseError(error: unknown): ProblemException | null {
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  if (!(error instanceof QueryFailedError)) return null;
  const pg = error.driverError as PgError;
  const fields = keyFields(pg.detail).map(camel);
  const field = fields.join(', ') || (pg.column ? camel(pg.column) : undefined);
  switch (pg.code) {
    case '23505':
      return new ProblemException({
        status: 409,
        type: 'conflict',
        title: 'Conflict',
        detail: field ? `Another record already has this ${field}.` : 'Another record already has these values.',
        errors: fields.map((f) => ({ field: f, message: 'must be unique' })),
      });
    case '23503':
      return new ProblemException({
        status: 422,
        type: 'invalid-reference',
        title: 'Unprocessable Content',
        detail: field ? `The referenced ${field} does not exist or is still in use.` : 'A referenced record does not exist or is still in use.',
        errors: fields.map((f) => ({ field: f, message: 'must reference an existing record' })),
      });
    case '23514':
    case '23502':
    case '23P01':
      return new ProblemException({
        status: 422,
        type: 'constraint-violation',
        title: 'Unprocessable Content',
        detail: field
          ? `The value of ${field} is not allowed.`
          : `The values break the rule "${pg.constraint ?? 'unknown'}".`,
        errors: field ? [{ field, message: 'is not allowed' }] : undefined,
      });
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
    case '22021':
      return new ProblemException({
        status: 400,
        type: 'invalid-value',
        title: 'Bad Request',
        detail: 'A value has the wrong format or is out of range.',
      });
    case '40001':
    case '40P01':
    case '55P03':
      // Tenant transactions have already run again a few times (TenantTransaction) before this.
      return new ProblemException({
        status: 409,
        type: 'concurrent-update',
        title: 'Conflict',
        detail: 'The record was changed by a concurrent request; retry.',
      });
    default:
      return null;
  }
}
