import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape /metrics. Without METRICS_TOKEN anyone who reaches the port may (keep the port
 * private then); with it, only `Authorization: Bearer <METRICS_TOKEN>` — the api's /metrics is on
 * its public port and its series name routes and queues. Answers null when allowed, else why not.
 */
export function metricsAccess(token: string | undefined): (authorization: string | undefined) => string | null {
  if (!token) return () => null;
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer (\S{1,4096})$/i.exec(authorization ?? '');
    if (!match) return 'Send the metrics token as "Authorization: Bearer <token>" (METRICS_TOKEN is set).';
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    return timingSafeEqual(digest(match[1]), expected) ? null : 'This credential is not the metrics token.';
  };
}

export const METRICS_REALM = 'Bearer realm="switchboard-metrics"';
