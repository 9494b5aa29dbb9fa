import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import type { EventEnvelope } from '../outbox/event-envelope';
import { QUEUE_NAMES, type EventSubscription, type QueueName } from './queue-registry';

/** Producers' view of the queues: typed access and event fan-out with deterministic job ids. */
@Injectable()
export class QueueRegistry {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly moduleRef: ModuleRef) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return QUEUE_NAMES.map((name) => this.get(name));
  }

  /**
   * One job per subscription, id = event id: BullMQ ignores an add whose id already exists,
   * so relaying or sweeping the same event twice folds into one job.
   */
  async addEvents(items: { subscription: EventSubscription; event: EventEnvelope }[]): Promise<void> {
    const byQueue = new Map<QueueName, { name: string; data: EventEnvelope; opts: JobsOptions }[]>();
    for (const { subscription, event } of items) {
      const jobs = byQueue.get(subscription.queue) ?? [];
      jobs.push({ name: subscription.job, data: event, opts: { jobId: event.id } });
      byQueue.set(subscription.queue, jobs);
    }
    await Promise.all([...byQueue].map(([queue, jobs]) => this.get(queue).addBulk(jobs)));
  }
}
