import { ProblemException } from './problem';

const MAX_DAYS = 366;

/**
 * A report's `[from, to)` from optional ISO query values: by default this UTC month so far; `from`
 * must be before `to`, at most 366 days apart, else a 400 naming the range.
 */
export function reportRange(query: { from?: string; to?: string }, now = new Date()): { from: Date; to: Date } {
  const from = query.from ? new Date(query.from) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = query.to ? new Date(query.to) : now;
  if (!(from < to) || to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) {
    throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `\`from\` must be before \`to\`, at most ${MAX_DAYS} days apart.`, errors: [{ field: 'from', message: 'invalid range' }] });
  }
  return { from, to };
}
