import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { EventConsumer } from '../outbox/event-consumer';
import { platformContext } from '../platform.context';
import { ContextRegistry } from '../registry/context-registry';
import { JobHandlerRegistry } from './job-handler-registry';
import { PollingService } from './polling-service';

import { WorkerRunner } from './worker-runner';

/** Stands in for the database pool: closed by its module's onApplicationShutdown, as TypeORM's is. */
@Injectable()
class FakePool implements OnApplicationShutdown {
  open = true;
  onApplicationShutdown(): void {
    this.open = false;
  }
}

/** A global module of its own, as TypeORM's is. */
@Global()
@Module({ providers: [FakePool], exports: [FakePool] })
class FakeDatabaseModule {}

@Injectable()
class SlowRelay extends PollingService {
  readonly queue: string = 'outbox';
  protected readonly failureDelayMs = 10;
  passes = 0;
  sawClosedPool = false;
  releasePass: (() => void) | null = null;
  passStarted: Promise<void>;
  private started!: () => void;

  constructor(private readonly pool: FakePool) {
    super();
    this.passStarted = new Promise((resolve) => (this.started = resolve));
  }

  protected async pass(): Promise<number> {
    this.passes++;
    this.started();
    await new Promise<void>((resolve) => (this.releasePass = resolve));
    if (!this.pool.open) this.sawClosedPool = true;
    return 0;
  }
}

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [JobHandlerRegistry, WorkerRunner, { provide: ContextRegistry, useValue: new ContextRegistry([platformContext]) }, { provide: EventConsumer, useValue: {} }],
  exports: [WorkerRunner],
})
class RunnerModule {}

/**
 * Global too, as PlatformModule is. Nest runs onApplicationShutdown module by module, and among
 * global modules the one registered last goes first: here the database's, as in the worker.
 */
@Global()
@Module({ providers: [SlowRelay], exports: [SlowRelay] })
class RelayModule {}

describe('PollingService', () => {
  it('lets the pass in progress finish before shutdown closes the connections it uses', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [RunnerModule, RelayModule, FakeDatabaseModule] }).compile();
    await moduleRef.init();
    const relay = moduleRef.get(SlowRelay);
    const pool = moduleRef.get(FakePool);
    const runner = moduleRef.get(WorkerRunner);
    runner.register({ queue: 'outbox', worker: { run: async () => undefined } as never });
    await runner.start(['outbox']);
    await relay.passStarted;

    const closed = moduleRef.close();
    // Shutdown has begun and waits for the pass; the pool must still be open.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pool.open).toBe(true);
    relay.releasePass!();
    await closed;
    expect(relay.sawClosedPool).toBe(false);
    expect(pool.open).toBe(false);
    expect(relay.passes).toBe(1);
  });
});
