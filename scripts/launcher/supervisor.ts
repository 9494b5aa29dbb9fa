import { spawn, type ChildProcess } from 'node:child_process';
import { forEachLine, type Output, type Tag } from './output';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
}

export interface ChildSpec {
  tag: Tag;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Receives stdout lines instead of the console (e.g. to collect the seed's output). */
  onStdoutLine?: (line: string) => void;
}

/** How long to wait after 'exit' for the pipes to drain, so a crash report follows the last output. */
const DRAIN_MS = 500;

const running = new Set<ChildProcess>();

/** Last resort when the launcher exits without a proper shutdown: leave no orphans behind. */
export function killRunningChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * A child process whose output is shown with its tag and which can be stopped politely.
 * It runs in its own process group, so a Ctrl-C in the terminal reaches only the launcher, which
 * then stops the children in order (apps before the Redis they use) with exactly one SIGTERM each.
 */
export class ManagedChild {
  readonly exited: Promise<ExitStatus>;
  private stopRequested = false;
  private readonly process: ChildProcess;

  constructor(
    readonly spec: ChildSpec,
    private readonly out: Output,
  ) {
    this.process = spawn(spec.command, spec.args, {
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(this.process);
    const stdoutDone = forEachLine(this.process.stdout!, spec.onStdoutLine ?? ((line) => out.info(spec.tag, line)));
    const stderrDone = forEachLine(this.process.stderr!, (line) => out.error(spec.tag, line));
    this.exited = new Promise<ExitStatus>((resolve) => {
      this.process.on('error', (error) => {
        // Also emitted when a kill fails; only a failed spawn means there is nothing to wait for.
        if (this.process.pid !== undefined) return;
        running.delete(this.process);
        resolve({ code: null, signal: null, error });
      });
      this.process.once('exit', (code, signal) => {
        running.delete(this.process);
        const drained = Promise.all([stdoutDone, stderrDone]);
        void Promise.race([drained, delay(DRAIN_MS)]).then(() => resolve({ code, signal }));
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** True once stop() was called: an exit after that is no surprise. */
  get stopping(): boolean {
    return this.stopRequested;
  }

  /** SIGTERM, then SIGKILL if it is still running after graceMs. */
  async stop(graceMs: number): Promise<ExitStatus> {
    this.stopRequested = true;
    if (this.hasExited()) return this.exited;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (this.hasExited()) return;
      this.out.error(this.spec.tag, `still running ${graceMs / 1000} s after SIGTERM; sending SIGKILL`);
      this.process.kill('SIGKILL');
    }, graceMs);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }

  private hasExited(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null || this.process.pid === undefined;
  }
}

export function describeExit(status: ExitStatus): string {
  if (status.error) return `could not be started: ${status.error.message}`;
  if (status.signal) return `was killed by ${status.signal}`;
  return `exited with code ${status.code}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
