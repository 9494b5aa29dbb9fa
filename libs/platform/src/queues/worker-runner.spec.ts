import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Worker } from 'bullmq';
import { EventConsumer } from '../outbox/event-consumer';
import { platformContext } from '../platform.context';
import { defineContext, defineJob } from '../registry/context';
import { ContextRegistry } from '../registry/context-registry';
import { HandlesJob } from './job-handler';
import { JobHandlerRegistry, MissingJobHandlerError } from './job-handler-registry';
import { WorkerRunner } from './worker-runner';

const Sweep = defineJob<{ day: string }>()('platform', 'platform.test-sweep');
const testContext = defineContext({ name: 'test', jobs: [Sweep] });

@HandlesJob(Sweep)
class SweepHandler {
  handled: unknown[] = [];
  async handle(payload: { day: string }): Promise<void> {
    this.handled.push(payload);
  }
}

const fakeWorker = () => {
  let runs = 0;
  return { worker: { run: async () => void runs++ } as unknown as Worker, runs: () => runs };
};

async function runnerWith(handlers: unknown[]) {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      JobHandlerRegistry,
      WorkerRunner,
      { provide: ContextRegistry, useValue: new ContextRegistry([platformContext, testContext]) },
      { provide: EventConsumer, useValue: {} },
      ...(handlers as never[]),
    ],
  }).compile();
  await moduleRef.init();
  return { runner: moduleRef.get(WorkerRunner), registry: moduleRef.get(JobHandlerRegistry), moduleRef };
}

describe('WorkerRunner', () => {
  it('refuses to start a queue whose declared jobs lack a handler, before running anything', async () => {
    const { runner } = await runnerWith([]);
    const platform = fakeWorker();
    runner.register({ queue: 'platform', worker: platform.worker });
    await expect(runner.start(['platform'])).rejects.toThrow(/Queue "platform" has jobs without a handler: platform.test-sweep/);
    expect(platform.runs()).toBe(0);
  });

  it('refuses a selected queue that has no processor', async () => {
    const { runner } = await runnerWith([SweepHandler]);
    await expect(runner.start(['platform'])).rejects.toThrow(/No processor is registered for queue "platform"/);
  });

  it('runs only the selected queues and routes jobs to their handler', async () => {
    const { runner, registry, moduleRef } = await runnerWith([SweepHandler]);
    const outbox = fakeWorker();
    const platform = fakeWorker();
    runner.register({ queue: 'outbox', worker: outbox.worker });
    runner.register({ queue: 'platform', worker: platform.worker });
    await runner.start(['platform']);
    expect(platform.runs()).toBe(1);
    expect(outbox.runs()).toBe(0);
    await registry.dispatch('platform', { name: 'platform.test-sweep', data: { day: '2026-12-06' } } as never);
    expect(moduleRef.get(SweepHandler).handled).toEqual([{ day: '2026-12-06' }]);
    await expect(registry.dispatch('platform', { name: 'platform.unknown', data: {} } as never)).rejects.toThrow(MissingJobHandlerError);
  });
});
