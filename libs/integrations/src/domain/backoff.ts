/** How long retries of one delivery go on before it is given up as failed. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

export interface BackoffOptions {
  /** The first retry's delay; each later one doubles it. */
  baseMs: number;
  /** No single wait longer than this. */
  maxMs: number;
  /** What the receiver asked for (`Retry-After`); honoured up to `maxMs`. */
  retryAfterMs?: number | null;
  /** 0..1; defaults to Math.random. */
  random?: () => number;
}

/**
 * The wait before attempt `attempts + 1`: exponential (base · 2^(attempts-1)) with "equal jitter"
 * (half fixed, half random, so retries of many deliveries spread out but never come sooner than
 * half the step), capped at `maxMs`, and never sooner than the receiver's `Retry-After`.
 */
export function retryDelayMs(attempts: number, options: BackoffOptions): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  const jittered = step / 2 + (options.random ?? Math.random)() * (step / 2);
  const wanted = Math.max(jittered, Math.min(options.retryAfterMs ?? 0, options.maxMs));
  return Math.round(wanted);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The next attempt's instant, or null when it would fall after the retry window: the delivery has failed. */
export function nextAttemptAt(windowStartedAt: Date, attempts: number, options: BackoffOptions & { windowMs?: number; now?: number }): Date | null {
  const now = options.now ?? Date.now();
  const at = now + retryDelayMs(attempts, options);
  return at - windowStartedAt.getTime() > (options.windowMs ?? RETRY_WINDOW_MS) ? null : new Date(at);
}
