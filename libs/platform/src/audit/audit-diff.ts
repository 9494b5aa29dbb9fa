const SECRET = /(password|secret|token|hash|apikey|api_key|credential)/i;

export type Snapshot = Record<string, unknown> | null | undefined;
export type FieldChanges = Record<string, { from?: unknown; to?: unknown }>;

const normalise = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** Field-level before/after, with secrets redacted; unchanged fields are left out. */
export function diffSnapshots(before: Snapshot, after: Snapshot): FieldChanges {
  const changes: FieldChanges = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (key === 'version' || key === 'updatedAt' || key === 'createdAt') continue;
    const from = normalise(before?.[key]);
    const to = normalise(after?.[key]);
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (SECRET.test(key)) changes[key] = { ...(before ? { from: '[redacted]' } : {}), ...(after ? { to: '[redacted]' } : {}) };
    else changes[key] = { ...(before ? { from: from ?? null } : {}), ...(after ? { to: to ?? null } : {}) };
  }
  return changes;
}
