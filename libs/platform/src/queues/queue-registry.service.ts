import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import type { EventEnvelope } from '../outbox/event-envelope';
import type { JobDefinition } from '../registry/context';
import { ContextRegistry } from '../registry/context-registry';
import type { EventSubscription } from './job-handler-registry';

/** Producers' view of the queues the contexts registered: typed jobs and event fan-out with deterministic job ids. */
@Injectable()
export class QueueRegistry {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly registry: ContextRegistry,
  ) {}

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      if (!this.registry.hasQueue(name)) throw new Error(`Queue "${name}" is not registered by any context`);
      queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return this.registry.queueNames.map((name) => this.get(name));
  }

  /** Adds one declared job; give a deterministic `jobId` where duplicates must fold. */
  async add<P>(definition: JobDefinition<P>, payload: P, options: JobsOptions = {}): Promise<void> {
    await this.get(definition.queue).add(definition.name, payload, options);
  }

  /**
   * One job per subscription, id = event id: BullMQ ignores an add whose id already exists,
   * so relaying or sweeping the same event twice folds into one job.
   */
  async addEvents(items: { subscription: EventSubscription; event: EventEnvelope }[]): Promise<void> {
    const byQueue = new Map<string, { name: string; data: EventEnvelope; opts: JobsOptions }[]>();
    for (const { subscription, event } of items) {
      const jobs = byQueue.get(subscription.queue) ?? [];
      jobs.push({ name: subscription.job, data: event, opts: { jobId: event.id } });
      byQueue.set(subscription.queue, jobs);
    }
    await Promise.all([...byQueue].map(([queue, jobs]) => this.get(queue).addBulk(jobs)));
  }
}
