import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cleanup } from './cleanup';

const STOP_GRACE_MS = 5_000;
const STDERR_TAIL_CHARS = 4_000;

const live = new Set<ChildProcess>();

/** Last resort from a process 'exit' handler: whatever is still running is killed, synchronously. */
export function killLiveProcesses(): void {
  for (const child of live) child.kill('SIGKILL');
}

export interface NodeProcessSpec {
  label: string;
  script: string;
  env: Record<string, string | undefined>;
  /** An open file descriptor for stdout; otherwise stdout is discarded. */
  stdoutFd?: number;
}

export interface NodeProcess {
  readonly label: string;
  /** The child's process id (undefined if it could not be spawned). */
  readonly pid: number | undefined;
  /** Resolves when the process has exited, with a description of how. */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  stderrTail(): string;
  stop(): Promise<void>;
}

/**
 * A `node <script>` child in its own process group, so a Ctrl-C in the terminal reaches only the
 * bench, which then stops each child once, in order. Stopping is registered with the cleanup.
 */
export function startNodeProcess(spec: NodeProcessSpec, cleanup: Cleanup): NodeProcess {
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : []), spec.script], {
    env: spec.env,
    stdio: ['ignore', spec.stdoutFd ?? 'ignore', 'pipe'],
    detached: true,
  });
  live.add(child);
  let exitedFlag = false;
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      if (child.pid !== undefined) return; // a failed kill, not a failed spawn
      exitedFlag = true;
      live.delete(child);
      resolve(`could not start: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      live.delete(child);
      resolve(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });

  const handle: NodeProcess = {
    label: spec.label,
    pid: child.pid,
    exited,
    hasExited: () => exitedFlag,
    stderrTail: () => stderr.trim(),
    async stop() {
      if (exitedFlag) return;
      child.kill('SIGTERM');
      const timer = sleep(STOP_GRACE_MS).then(() => 'timeout' as const);
      if ((await Promise.race([exited, timer])) === 'timeout' && !exitedFlag) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  cleanup.add(`stop ${spec.label}`, () => handle.stop());
  return handle;
}

/** Polls `url` until it answers 200; fails early if the process dies or the run is aborted. */
export async function waitUntilServing(url: string, proc: NodeProcess, { timeoutMs, signal }: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    if (proc.hasExited()) {
      throw new Error(`${proc.label} exited before serving (${await proc.exited})\n${proc.stderrTail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(1_000)]) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  throw new Error(`${proc.label} did not answer 200 on ${url} within ${timeoutMs} ms (${last})\n${proc.stderrTail()}`);
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
