import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JOB_HANDLER, type JobHandler, type JobHandlerMeta } from './job-handler';
import { JOB_NAMES, type QueueName } from './queue-registry';

export class MissingJobHandlerError extends Error {}

/** Finds every @HandlesJob provider and routes jobs to them by queue and job name. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, JobHandler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const meta = this.reflector.get<JobHandlerMeta | undefined>(JOB_HANDLER, wrapper.metatype);
      if (!meta) continue;
      const key = `${meta.queue}/${meta.job}`;
      if (this.handlers.has(key)) throw new Error(`Two handlers registered for job ${key}`);
      this.handlers.set(key, wrapper.instance as JobHandler);
    }
  }

  /** A worker consuming `queue` must be able to run every job the registry lists for it. */
  assertComplete(queue: QueueName): void {
    const missing = JOB_NAMES[queue].filter((job) => !this.handlers.has(`${queue}/${job}`));
    if (missing.length > 0) {
      throw new MissingJobHandlerError(`Queue "${queue}" has jobs without a handler: ${missing.join(', ')}`);
    }
  }

  async dispatch(queue: QueueName, job: Job): Promise<void> {
    const handler = this.handlers.get(`${queue}/${job.name}`);
    if (!handler) throw new MissingJobHandlerError(`No handler for job ${queue}/${job.name}`);
    await handler.handle(job.data as never, job);
  }
}
