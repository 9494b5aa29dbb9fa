/** What a revision changed, for the revision list: the fields, and for the body, lines added and removed. */
export interface RevisionSummary {
  fields: string[];
  body?: { linesAdded: number; linesRemoved: number; charsBefore: number; charsAfter: number };
}

/**
 * Line-level change counts by multiset difference: cheap on megabyte bodies and exact for edits
 * that add or remove lines; a moved line counts as neither.
 */
export function summariseChange(before: Record<string, unknown> | null, after: Record<string, unknown>): RevisionSummary {
  const fields = Object.keys(after).filter((k) => before === null || JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  const summary: RevisionSummary = { fields };
  if (fields.includes('body')) {
    const oldBody = typeof before?.body === 'string' ? before.body : '';
    const newBody = String(after.body ?? '');
    const counts = new Map<string, number>();
    for (const line of oldBody ? oldBody.split('\n') : []) counts.set(line, (counts.get(line) ?? 0) + 1);
    let added = 0;
    for (const line of newBody.split('\n')) {
      const n = counts.get(line) ?? 0;
      if (n > 0) counts.set(line, n - 1);
      else added++;
    }
    const removed = [...counts.values()].reduce((a, b) => a + b, 0);
    summary.body = { linesAdded: added, linesRemoved: removed, charsBefore: oldBody.length, charsAfter: newBody.length };
  }
  return summary;
}
