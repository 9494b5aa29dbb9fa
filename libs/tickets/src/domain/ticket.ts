import { ProblemException } from '@switchboard/platform';

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TYPES = ['question', 'incident', 'problem', 'task'] as const;
export const CHANNELS = ['api', 'email', 'web', 'phone', 'chat', 'telegram', 'whatsapp'] as const;
export type Status = (typeof STATUSES)[number];

/** Roles that can own a ticket. */
export const ASSIGNABLE_ROLES = ['owner', 'admin', 'agent'] as const;

const invalid = (detail: string) =>
  new ProblemException({ status: 422, type: 'invalid-transition', title: 'Unprocessable Content', detail, errors: [{ field: 'status', message: detail }] });

/**
 * The ticket lifecycle: `new` only at birth, `closed` is final and reached only from `solved`
 * (as in Zendesk: solved tickets close, they are not closed by hand while still open).
 */
export function assertTransition(from: Status, to: Status): void {
  if (from === to) return;
  if (from === 'closed') throw invalid('A closed ticket cannot change status; create a follow-up ticket instead.');
  if (to === 'new') throw invalid(`A ticket cannot go back to new (it is ${from}).`);
  if (to === 'closed' && from !== 'solved') throw invalid(`Only a solved ticket can be closed (this one is ${from}).`);
}

/** Status after a public message: the requester reopens a solved ticket; an agent's first reply opens a new one. */
export function statusAfterMessage(current: Status, author: 'agent' | 'contact', visibility: 'public' | 'internal'): Status {
  if (visibility !== 'public') return current;
  if (author === 'contact' && (current === 'solved' || current === 'pending')) return 'open';
  if (author === 'agent' && current === 'new') return 'open';
  return current;
}

const TAG = /^[a-z0-9_:-]{1,50}$/;

export function normaliseTags(tags: string[]): string[] {
  const normalised = [...new Set(tags.map((t) => t.trim().toLowerCase()))];
  const bad = normalised.filter((t) => !TAG.test(t));
  if (bad.length > 0) {
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: `Tags may hold 1 to 50 letters, digits, _, - and : (got ${bad.map((t) => JSON.stringify(t.slice(0, 60))).join(', ')}).`,
      errors: [{ field: 'tags', message: 'each tag must be 1 to 50 letters, digits, _, - or :' }],
    });
  }
  return normalised.sort();
}
