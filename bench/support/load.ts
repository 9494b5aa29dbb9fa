import autocannon from 'autocannon';
import type { BenchOptions } from './benchmark';

export interface LoadTarget {
  url: string;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
  /** Paths (with query) sent in turn, one per request, instead of the url's own. */
  paths?: readonly string[];
  /** Responses with another status are counted as unexpected. */
  expectStatus: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  responses: number;
  unexpected: number;
  /** How many answers had each status: what the unexpected ones were. */
  statuses: Record<number, number>;
  errors: number;
  timeouts: number;
}

/**
 * A discarded warm-up run, then the measured run, with the same settings. Latencies are taken from
 * autocannon's per-response event (fractional ms) rather than its histogram, which has 1 ms
 * resolution: too coarse for sub-millisecond loopback answers.
 */
export async function measureLoad(target: LoadTarget, options: BenchOptions, signal: AbortSignal, hooks: { beforeMeasured?: () => void } = {}): Promise<LoadResult> {
  // autocannon only notices the end of a run on its sample tick: at the default 1 s a 10 s run can last 11 s.
  let turn = 0;
  const paths = target.paths;
  const requests = paths?.length ? [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[turn++ % paths.length] }) }] : undefined;
  const settings = { url: target.url, method: target.method ?? 'GET', body: target.body, headers: target.headers, connections: options.connections, sampleInt: 100, ...(requests ? { requests } : {}) };
  if (options.warmupSeconds > 0) await runCancellable(autocannon({ ...settings, duration: options.warmupSeconds }), signal);

  const latencies: number[] = [];
  let unexpected = 0;
  const statuses: Record<number, number> = {};
  hooks.beforeMeasured?.();
  const run = autocannon({ ...settings, duration: options.durationSeconds });
  run.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    latencies.push(responseTimeMs);
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode !== target.expectStatus) unexpected += 1;
  });
  const startedAt = process.hrtime.bigint();
  const result = await runCancellable(run, signal);
  const elapsedSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;

  const sorted = Float64Array.from(latencies).sort();
  return {
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    responses: latencies.length,
    unexpected,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function runCancellable(run: autocannon.Instance, signal: AbortSignal): Promise<autocannon.Result> {
  const stop = () => run.stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    const result = await run;
    signal.throwIfAborted();
    return result;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
