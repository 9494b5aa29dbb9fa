import { ProblemException, staleVersion } from '@switchboard/platform';

export const stale = (what: string, expected: number, actual: number) => staleVersion(what, expected, actual);

export const invalidReference = (field: string, detail: string) =>
  new ProblemException({ status: 422, type: 'invalid-reference', title: 'Unprocessable Content', detail, errors: [{ field, message: detail }] });

export const conflict = (type: string, detail: string) => new ProblemException({ status: 409, type, title: 'Conflict', detail });

/** Tags as stored: trimmed, lowercase, unique, in first-seen order. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}
