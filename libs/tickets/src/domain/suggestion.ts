import { createHash } from 'node:crypto';
import { ProblemException } from '@switchboard/platform';
import type { SuggestionKind, SuggestionView } from '../repositories/suggestions.sql';

/** Deciding twice, or deciding what nobody can decide any more, is a conflict. */
export function assertPending(s: SuggestionView): void {
  if (s.status === 'pending') return;
  const why =
    s.status === 'superseded'
      ? 'a newer suggestion of the same kind replaced it; decide that one'
      : s.status === 'invalid'
        ? 'the model’s answer was invalid, so there is nothing to apply'
        : `it was already ${s.status}${s.decidedAt ? ` at ${s.decidedAt}` : ''}`;
  throw new ProblemException({
    status: 409,
    type: 'suggestion-already-decided',
    title: 'Conflict',
    detail: `This ${s.kind} suggestion cannot be decided: ${why}.`,
    extensions: { suggestionStatus: s.status },
  });
}

/** sha256 over the prompt variables in a stable key order: equal inputs, equal hash. */
export function inputsHash(kind: SuggestionKind, variables: Record<string, unknown>): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stable) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify({ kind, variables: stable(variables) })).digest('hex');
}
