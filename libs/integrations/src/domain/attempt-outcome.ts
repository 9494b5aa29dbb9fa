import { nextAttemptAt } from './backoff';
import type { SendResult } from './webhook-sender';

export type Decision =
  | { kind: 'succeeded' }
  /** 410 Gone: the receiver says the endpoint is no more; it is disabled at once. */
  | { kind: 'gone' }
  /** Not retried: the destination is refused by the outbound policy. */
  | { kind: 'refused' }
  | { kind: 'retry'; at: Date }
  /** The retry window (24 h) is spent. */
  | { kind: 'exhausted' };

/** What one attempt's result means for its delivery. */
export function decide(result: SendResult, attempts: number, windowStartedAt: Date, backoff: { baseMs: number; maxMs: number; random?: () => number; now?: number }): Decision {
  if (result.ok) return { kind: 'succeeded' };
  if (result.status === 410) return { kind: 'gone' };
  if (result.refused) return { kind: 'refused' };
  const at = nextAttemptAt(windowStartedAt, attempts, { ...backoff, retryAfterMs: result.retryAfterMs });
  return at ? { kind: 'retry', at } : { kind: 'exhausted' };
}

/** Whether an endpoint whose every attempt has failed since `failingSince` is to be disabled now. */
export function sustainedFailure(failingSince: Date, disableAfterMs: number, now = Date.now()): boolean {
  return now - failingSince.getTime() >= disableAfterMs;
}
