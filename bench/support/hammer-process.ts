import { setPriority } from 'node:os';
import autocannon from 'autocannon';

/** What the fairness bench's hammering process is told to do (as JSON in HAMMER_SPEC). */
export interface HammerSpec {
  url: string;
  /** One bearer credential per hammering tenant. */
  credentials: string[];
  connectionsPerTenant: number;
  /** Requests per second offered per tenant (paced by autocannon). */
  ratePerTenant: number;
  /** Scheduling priority of this process (19: only what the machine has left over). */
  nice: number;
}

export type HammerCounts = { statuses: Record<number, number>; errors: number; at: number };
export type HammerMessage = { type: 'snapshot' } | { type: 'stop' };

/**
 * A child process of the fairness bench (forked, with an IPC channel): one keep-alive autocannon
 * instance per hammering tenant, each paced at its offered rate, answering snapshots of the
 * statuses counted so far. Its own process, so the quiet tenant's client never waits behind it
 * and its CPU can be given a lower priority than the api's.
 */
const spec = JSON.parse(process.env.HAMMER_SPEC ?? '{}') as HammerSpec;
if (spec.nice) setPriority(spec.nice);
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

process.on('message', (message: HammerMessage) => {
  if (message.type === 'snapshot') {
    process.send!({ statuses: { ...counts.statuses }, errors: counts.errors, at: performance.timeOrigin + performance.now() });
  } else {
    for (const run of runs) run.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
