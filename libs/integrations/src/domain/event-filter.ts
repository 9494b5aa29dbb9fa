/** Largest filter an endpoint may hold; each pattern is short (a type or `<prefix>.*`). */
export const MAX_FILTER_PATTERNS = 100;
export const MAX_PATTERN_LENGTH = 100;

/** `*`, an exact public type (`ticket.created`) or a prefix wildcard (`ticket.*`). */
export const EVENT_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

export function filterProblem(patterns: readonly string[]): string | null {
  if (patterns.length === 0) return 'name at least one event type, or "*" for every event';
  if (patterns.length > MAX_FILTER_PATTERNS) return `at most ${MAX_FILTER_PATTERNS} patterns`;
  for (const pattern of patterns) {
    if (pattern.length > MAX_PATTERN_LENGTH || !EVENT_PATTERN.test(pattern)) return `"${pattern.slice(0, MAX_PATTERN_LENGTH)}" is not an event type, "<prefix>.*" or "*"`;
  }
  return null;
}

/** Whether an endpoint's filter lets a public event type through. */
export function matchesFilter(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}
