import { Injectable, Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { JobHandlerRegistry } from './job-handler-registry';

interface RunnableProcessor {
  readonly queue: string;
  readonly worker: Worker;
}

export interface BackgroundService {
  /** Starts work that belongs to `queue` being consumed here (e.g. the outbox relay). */
  readonly queue: string;
  start(): Promise<void>;
}

/** Starts exactly the queues this worker process was told to consume, or refuses to boot. */
@Injectable()
export class WorkerRunner {
  private readonly logger = new Logger(WorkerRunner.name);
  private readonly processors = new Map<string, RunnableProcessor>();
  private readonly services: BackgroundService[] = [];

  constructor(private readonly handlers: JobHandlerRegistry) {}

  register(processor: RunnableProcessor): void {
    if (this.processors.has(processor.queue)) throw new Error(`Two processors for queue ${processor.queue}`);
    this.processors.set(processor.queue, processor);
  }

  registerService(service: BackgroundService): void {
    this.services.push(service);
  }

  /** Validates everything first, so a misconfigured worker fails before it takes any job. */
  async start(queues: readonly string[]): Promise<void> {
    for (const queue of queues) {
      if (!this.processors.has(queue)) throw new Error(`No processor is registered for queue "${queue}"`);
      this.handlers.assertComplete(queue);
    }
    for (const queue of queues) {
      const { worker } = this.processors.get(queue)!;
      worker.run().catch((error: unknown) => this.logger.error({ err: error, queue }, 'Worker stopped with an error'));
    }
    for (const service of this.services.filter((s) => queues.includes(s.queue))) await service.start();
    this.logger.log(`Consuming queues: ${queues.join(', ')}`);
  }
}
