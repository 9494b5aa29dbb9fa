import { randomInt } from 'node:crypto';

/**
 * When to try again after `attempts` failed attempts: exponential from `baseMs`, capped at
 * `maxMs`, with full jitter on the upper half (so a burst of failures spreads out), and never
 * sooner than the provider asked (`retryAfterMs`).
 */
export function retryDelayMs(attempts: number, options: { baseMs: number; maxMs: number; retryAfterMs?: number | null }): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.floor(exponential / 2) + randomInt(0, Math.max(1, Math.ceil(exponential / 2)) + 1);
  return Math.min(options.maxMs, Math.max(jittered, options.retryAfterMs ?? 0));
}
