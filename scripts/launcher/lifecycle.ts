interface Cleanup {
  name: string;
  run: () => Promise<unknown> | unknown;
}

/**
 * Runs the startup steps and, on shutdown, undoes what they started in reverse order, so that the
 * apps stop before the database and Redis they use, and the data-dir lock goes last.
 *
 * Shutdown first aborts `signal` and waits for the startup steps to settle, so that nothing is
 * half-started (an embedded database in the middle of initdb) when the cleanups run. Steps must
 * therefore honour the signal in everything that can wait long. Shutdown may be requested any
 * number of times; the first request decides the exit code.
 */
export class Lifecycle {
  private readonly cleanups: Cleanup[] = [];
  private readonly controller = new AbortController();
  private startup: Promise<void> = Promise.resolve();
  private stopped?: Promise<void>;

  constructor(
    private readonly exit: (code: number) => void,
    private readonly reportError: (message: string) => void,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopping(): boolean {
    return this.stopped !== undefined;
  }

  onStop(name: string, run: Cleanup['run']): void {
    this.cleanups.push({ name, run });
  }

  /** Runs the startup steps; a failure is reported and shuts everything down with exit code 1. */
  async start(steps: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const running = steps(this.signal);
    this.startup = running.then(
      () => undefined,
      () => undefined,
    );
    try {
      await running;
    } catch (error) {
      // Once stopping, failures are the expected result of aborting the steps.
      if (this.stopping) return;
      this.reportError(error instanceof Error ? error.message : String(error));
      await this.shutdown(1);
    }
  }

  shutdown(exitCode: number): Promise<void> {
    this.stopped ??= this.stopAll().then(() => this.exit(exitCode));
    return this.stopped;
  }

  private async stopAll(): Promise<void> {
    this.controller.abort(new Error('shutting down'));
    await this.startup;
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup.run();
      } catch (error) {
        this.reportError(`stopping ${cleanup.name} failed: ${(error as Error).message}`);
      }
    }
  }
}
