/** Splitting a labelled set into the half that chooses settings and the half that is reported. */

/**
 * The tuning half and the report half: within each kind, queries by id alternate between them
 * (q001 tuning, the next of the same kind report, …), so that both halves hold every kind.
 * Settings are chosen on the tuning half; only the report half is quoted.
 */
export function splitHalves<T extends { id: string; kind: string }>(queries: readonly T[]): { tuning: T[]; report: T[] } {
  const tuning: T[] = [];
  const report: T[] = [];
  const seen = new Map<string, number>();
  for (const q of [...queries].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const n = seen.get(q.kind) ?? 0;
    seen.set(q.kind, n + 1);
    (n % 2 === 0 ? tuning : report).push(q);
  }
  return { tuning, report };
}
