import { isLapsedStatus, type SubscriptionStatus } from './plans';

/** When the subscription fell out of good standing: kept while it stays out, cleared when it recovers. */
export function lapsedSince(next: SubscriptionStatus, previous: { status: SubscriptionStatus; lapsedAt: string | null } | undefined, now: Date): string | null {
  if (!isLapsedStatus(next)) return null;
  if (previous && isLapsedStatus(previous.status) && previous.lapsedAt) return previous.lapsedAt;
  return now.toISOString();
}
