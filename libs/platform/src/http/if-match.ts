import { ProblemException } from './problem';

/**
 * `W/"3"` or `"3"` → 3; `*` → null, like an absent header: RFC 9110 makes `If-Match: *` true for
 * any current version, and a missing resource is a 404 before any precondition; anything else is a 400.
 */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined) return null;
  const value = header.trim();
  if (value === '*') return null;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  if (!match) {
    throw new ProblemException({
      status: 400,
      type: 'invalid-if-match',
      title: 'Bad Request',
      detail: 'If-Match must be an ETag this API returned, such as W/"3", or * for any current version.',
    });
  }
  return Number(match[1]);
}

/**
 * For writes that refuse a blind overwrite: no If-Match is a 428; `*` is the caller saying, on
 * purpose, that any current version will do (null); otherwise the version it names.
 */
export function requireIfMatch(header: string | undefined, what: string): number | null {
  if (header === undefined) {
    throw new ProblemException({
      status: 428,
      type: 'precondition-required',
      title: 'Precondition Required',
      detail: `Send If-Match with the ETag of the ${what} you read (or * for any version), so a concurrent change is never overwritten.`,
    });
  }
  return parseIfMatch(header);
}

/** The 412 of a stale If-Match, naming the version the caller had and the current one (with its ETag, to reload against). */
export const staleVersion = (what: string, expected: number, current: number) =>
  new ProblemException({
    status: 412,
    type: 'precondition-failed',
    title: 'Precondition Failed',
    detail: `The ${what} changed since version ${expected}; the current version is ${current} (ETag ${etagOf(current)}). Reload it and retry.`,
    extensions: { currentVersion: current },
  });

/** The weak ETag of a versioned resource. */
export const etagOf = (version: number) => `W/"${version}"`;
