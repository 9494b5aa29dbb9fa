import type { Cleanup } from './cleanup';

export interface BenchOptions {
  /** Measured seconds per target, after the warm-up. */
  durationSeconds: number;
  connections: number;
  /** Seconds of load sent first and discarded, so JIT and connection set-up do not count. */
  warmupSeconds: number;
}

export interface BenchContext {
  options: BenchOptions;
  /** Everything a benchmark starts is registered here and stopped in reverse order, also on Ctrl-C. */
  cleanup: Cleanup;
  /** Aborted on Ctrl-C / SIGTERM: long waits (load runs, health polls) stop early. */
  signal: AbortSignal;
  log(line: string): void;
}

/** One entry of the registry: `node dist/bench/run.js <name>`. */
export interface Benchmark {
  name: string;
  description: string;
  run(context: BenchContext): Promise<void>;
}
