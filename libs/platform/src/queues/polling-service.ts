import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';

import { WorkerRunner, type BackgroundService } from './worker-runner';

const MAX_BACKOFF_MS = 10_000;

/**
 * A loop a worker runs while it consumes `queue` (the outbox relay, the sweeper): one pass after
 * another, a failed pass retried with doubling delays, and a clean stop that waits for the pass
 * in progress — before shutdown closes the database and Redis connections (beforeApplicationShutdown
 * runs ahead of every module's onApplicationShutdown), so the last pass never finds them gone.
 */
export abstract class PollingService implements BackgroundService, OnModuleInit, BeforeApplicationShutdown {
  abstract readonly queue: string;
  protected readonly logger = new Logger(this.constructor.name);
  private running = false;
  private loop: Promise<void> | null = null;

  @Inject(WorkerRunner) private readonly runner: WorkerRunner;

  /** One pass; resolves to how long to wait before the next one. */
  protected abstract pass(): Promise<number>;

  /** The delay after a first failure; it doubles with each further one. */
  protected abstract readonly failureDelayMs: number;

  onModuleInit(): void {
    this.runner.registerService(this);
  }

  async start(): Promise<void> {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let delay: number;
      try {
        delay = await this.pass();
        failures = 0;
      } catch (error) {
        failures += 1;
        delay = Math.min(this.failureDelayMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
        this.logger.warn({ err: error, retryInMs: delay }, 'Pass failed');
      }
      if (delay > 0 && this.running) await sleep(delay);
    }
  }
}
