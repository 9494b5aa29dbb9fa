import { setPriority } from 'node:os';
import { Agent, request } from 'node:http';

/** What the fairness bench's hammering process is told to do (as JSON in HAMMER_SPEC). */
export interface HammerSpec {
  url: string;
  /** One bearer credential per hammering tenant. */
  credentials: string[];
  connectionsPerTenant: number;
  /** Requests per second offered per tenant, spread evenly (a 5 ms tick), on at most `connectionsPerTenant` keep-alive connections. */
  ratePerTenant: number;
  /** Scheduling priority of this process (19: only what the machine has left over). */
  nice: number;
}

export type HammerCounts = { statuses: Record<number, number>; errors: number; at: number };
export type HammerMessage = { type: 'snapshot' } | { type: 'stop' };

/**
 * A child process of the fairness bench (forked, with an IPC channel): per hammering tenant a
 * keep-alive agent sending its offered rate as an even stream (open loop: requests are sent when
 * due whether or not earlier ones were answered), answering snapshots of the statuses counted so
 * far. Even, because autocannon's rate limit sends each second's quota back to back at the start
 * of the second: 2,000 requests in the first few milliseconds is a pattern of the tool, not of
 * clients, and it parks every other request behind the whole burst. Its own process, so the quiet tenant's client never waits behind it
 * and its CPU can be given a lower priority than the api's.
 */
const spec = JSON.parse(process.env.HAMMER_SPEC ?? '{}') as HammerSpec;
if (spec.nice) setPriority(spec.nice);
const counts: HammerCounts = { statuses: {}, errors: 0, at: 0 };
const target = new URL(spec.url);
/** Every TICK_MS each tenant sends what its rate has made due since the last tick: an even stream, not a burst per second. */
const TICK_MS = 5;
const tenants = spec.credentials.map((credential) => ({
  agent: new Agent({ keepAlive: true, maxSockets: spec.connectionsPerTenant }),
  headers: { authorization: `Bearer ${credential}` },
  due: 0,
}));
const send = (tenant: (typeof tenants)[number]) => {
  const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers: tenant.headers, agent: tenant.agent }, (res) => {
    res.resume();
    res.on('end', () => (counts.statuses[res.statusCode ?? 0] = (counts.statuses[res.statusCode ?? 0] ?? 0) + 1));
  });
  req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
  req.on('error', () => (counts.errors += 1));
  req.end();
};
let last = performance.now();
const ticker = setInterval(() => {
  const now = performance.now();
  const elapsed = now - last;
  last = now;
  for (const tenant of tenants) {
    tenant.due += (spec.ratePerTenant * elapsed) / 1000;
    for (; tenant.due >= 1; tenant.due -= 1) send(tenant);
  }
}, TICK_MS);
const runs = [{ stop: () => clearInterval(ticker) }];

process.on('message', (message: HammerMessage) => {
  if (message.type === 'snapshot') {
    process.send!({ statuses: { ...counts.statuses }, errors: counts.errors, at: performance.timeOrigin + performance.now() });
  } else {
    for (const run of runs) run.stop();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
