import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

/** What the fairness bench's hammering thread is told to do. */
export interface HammerSpec {
  url: string;
  /** One bearer credential per hammering tenant. */
  credentials: string[];
  connectionsPerTenant: number;
  /** Requests per second offered per tenant (paced by autocannon). */
  ratePerTenant: number;
}

export type HammerCounts = { statuses: Record<number, number>; errors: number; at: number };
export type HammerMessage = { type: 'snapshot' } | { type: 'stop' };

/**
 * Runs in a worker thread of the bench process: one keep-alive autocannon instance per hammering
 * tenant, each paced at its offered rate, answering snapshots of the statuses counted so far, so
 * that the bench's own thread (the quiet tenant's client) never waits behind the load.
 */
const spec = workerData as HammerSpec;
const counts: HammerCounts = { statuses: {}, errors: 0, at: 0 };
const runs = spec.credentials.map((credential) => {
  const run = autocannon({
    url: spec.url,
    headers: { authorization: `Bearer ${credential}` },
    connections: spec.connectionsPerTenant,
    overallRate: spec.ratePerTenant,
    duration: 3600,
    sampleInt: 1000,
    timeout: 30,
  });
  run.on('response', (_client, statusCode) => {
    counts.statuses[statusCode] = (counts.statuses[statusCode] ?? 0) + 1;
  });
  run.on('reqError', () => {
    counts.errors += 1;
  });
  return run;
});

parentPort!.on('message', (message: HammerMessage) => {
  if (message.type === 'snapshot') {
    parentPort!.postMessage({ statuses: { ...counts.statuses }, errors: counts.errors, at: performance.timeOrigin + performance.now() });
  } else {
    for (const run of runs) run.stop();
    Promise.all(runs).then(
      () => process.exit(0),
      () => process.exit(0),
    );
  }
});
