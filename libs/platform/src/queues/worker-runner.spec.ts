import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Worker } from 'bullmq';
import { EventConsumer } from '../outbox/event-consumer';
import { defineContext, defineJob } from '../registry/context';
import { ContextRegistry } from '../registry/context-registry';
import { HandlesJob } from './job-handler';
import { JobHandlerRegistry, MissingJobHandlerError } from './job-handler-registry';
import { WorkerRunner } from './worker-runner';

// Queues of its own, so that the platform's declared jobs are no part of what these tests count.
const Sweep = defineJob<{ day: string }>()('sweeps', 'test.sweep');
const testContext = defineContext({
  name: 'test',
  queues: [
    { name: 'sweeps', description: 'test' },
    { name: 'relays', description: 'test' },
  ],
  jobs: [Sweep],
});

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
      { provide: ContextRegistry, useValue: new ContextRegistry([testContext]) },
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
    const sweeps = fakeWorker();
    runner.register({ queue: 'sweeps', worker: sweeps.worker });
    await expect(runner.start(['sweeps'])).rejects.toThrow(/Queue "sweeps" has jobs without a handler: test.sweep$/);
    expect(sweeps.runs()).toBe(0);
  });

  it('refuses a selected queue that has no processor', async () => {
    const { runner } = await runnerWith([SweepHandler]);
    await expect(runner.start(['sweeps'])).rejects.toThrow(/No processor is registered for queue "sweeps"/);
  });

  it('runs only the selected queues and routes jobs to their handler', async () => {
    const { runner, registry, moduleRef } = await runnerWith([SweepHandler]);
    const relays = fakeWorker();
    const sweeps = fakeWorker();
    runner.register({ queue: 'relays', worker: relays.worker });
    runner.register({ queue: 'sweeps', worker: sweeps.worker });
    await runner.start(['sweeps']);
    expect(sweeps.runs()).toBe(1);
    expect(relays.runs()).toBe(0);
    await registry.dispatch('sweeps', { name: 'test.sweep', data: { day: '2026-12-06' } } as never);
    expect(moduleRef.get(SweepHandler).handled).toEqual([{ day: '2026-12-06' }]);
    await expect(registry.dispatch('sweeps', { name: 'test.unknown', data: {} } as never)).rejects.toThrow(MissingJobHandlerError);
  });
});
