import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Worker } from 'bullmq';
import { HandlesJob } from './job-handler';
import { JobHandlerRegistry, MissingJobHandlerError } from './job-handler-registry';
import { WorkerRunner } from './worker-runner';

@HandlesJob('platform', 'platform.probe')
class ProbeHandler {
  handled: unknown[] = [];
  async handle(payload: unknown): Promise<void> {
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
    providers: [JobHandlerRegistry, WorkerRunner, ...(handlers as never[])],
  }).compile();
  await moduleRef.init();
  return { runner: moduleRef.get(WorkerRunner), registry: moduleRef.get(JobHandlerRegistry) };
}

describe('WorkerRunner', () => {
  it('refuses to start a queue whose registered jobs lack a handler, before running anything', async () => {
    const { runner } = await runnerWith([]);
    const platform = fakeWorker();
    runner.register({ queue: 'platform', worker: platform.worker });
    await expect(runner.start(['platform'])).rejects.toThrow(MissingJobHandlerError);
    expect(platform.runs()).toBe(0);
  });

  it('refuses a selected queue that has no processor', async () => {
    const { runner } = await runnerWith([ProbeHandler]);
    await expect(runner.start(['platform'])).rejects.toThrow(/No processor is registered for queue "platform"/);
  });

  it('runs only the selected queues and routes jobs to their handler', async () => {
    const { runner, registry } = await runnerWith([ProbeHandler]);
    const outbox = fakeWorker();
    const platform = fakeWorker();
    runner.register({ queue: 'outbox', worker: outbox.worker });
    runner.register({ queue: 'platform', worker: platform.worker });
    await runner.start(['platform']);
    expect(platform.runs()).toBe(1);
    expect(outbox.runs()).toBe(0);
    await expect(registry.dispatch('platform', { name: 'platform.unknown', data: {} } as never)).rejects.toThrow(MissingJobHandlerError);
  });
});
