import { ProblemException } from './problem';

/** `W/"3"` or `"3"` → 3; absent → null; anything else is a 400. */
export function parseIfMatch(header: string | undefined): number | null {
  if (header === undefined) return null;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) {
    throw new ProblemException({ status: 400, type: 'invalid-if-match', title: 'Bad Request', detail: 'If-Match must be an ETag this API returned, such as W/"3".' });
  }
  return Number(match[1]);
}

/** The weak ETag of a versioned resource. */
export const etagOf = (version: number) => `W/"${version}"`;
