import { parseArgs } from 'node:util';
import { BENCHMARKS } from './registry';
import type { BenchOptions } from './support/benchmark';
import { Cleanup } from './support/cleanup';
import { killLiveProcesses } from './support/node-process';

/** `node dist/bench/run.js <name> [--duration s] [--connections n]` (via `npm run bench -- <name>`). */

const USAGE = 'usage: npm run bench -- <name> [--duration seconds] [--connections n]';
const WARMUP_SECONDS = 2;
const CLEANUP_TIMEOUT_MS = 20_000;

const log = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string) => process.stderr.write(`${line}\n`);

function knownBenchmarks(): string {
  return BENCHMARKS.map((b) => `  ${b.name.padEnd(10)} ${b.description}`).join('\n');
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

function parseCommandLine(argv: string[]): { name: string | undefined; options: BenchOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { duration: { type: 'string' }, connections: { type: 'string' } },
  });
  if (positionals.length > 1) throw new Error(`one benchmark at a time, got: ${positionals.join(' ')}`);
  return {
    name: positionals[0],
    options: {
      durationSeconds: positiveInt('duration', values.duration, 10),
      connections: positiveInt('connections', values.connections, 10),
      warmupSeconds: WARMUP_SECONDS,
    },
  };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 1;
  }
  const benchmark = BENCHMARKS.find((b) => b.name === parsed.name);
  if (!benchmark) {
    fail(`${parsed.name === undefined ? 'name a benchmark' : `unknown benchmark "${parsed.name}"`}; known:\n${knownBenchmarks()}\n${USAGE}`);
    return 1;
  }

  const cleanup = new Cleanup(fail);
  const abort = new AbortController();
  const stopEverything = async (code: number) => {
    const timer = setTimeout(() => {
      fail('cleanup timed out; killing what is left');
      process.exit(code);
    }, CLEANUP_TIMEOUT_MS);
    await cleanup.run();
    clearTimeout(timer);
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (abort.signal.aborted) return; // npm forwards the terminal's Ctrl-C too; the first one decides
      fail(`${signal}: stopping everything`);
      abort.abort(new Error(`interrupted by ${signal}`));
      void stopEverything(130);
    });
  }

  try {
    await benchmark.run({ options: parsed.options, cleanup, signal: abort.signal, log });
    return 0;
  } catch (error) {
    if (abort.signal.aborted) return 130;
    fail(`bench ${benchmark.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

// Whatever happens, no child outlives the bench.
process.on('exit', killLiveProcesses);
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    fail(`bench runner error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
