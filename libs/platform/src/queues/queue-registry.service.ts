import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue } from 'bullmq';
import type { EventEnvelope } from '../outbox/event-envelope';
import type { JobDefinition } from '../registry/context';
import { ContextRegistry } from '../registry/context-registry';
import type { EventSubscription } from './job-handler-registry';

/** A delayed job's place: one pending job per (job definition, key). */
export interface DelayedJobOptions {
  /** Deterministic, naming what the job is about: `sla-breach:<ticketId>`, `reminder:<visitId>`. */
  key: string;
  runAt: Date;
}

/** Rounds of "the due job holding the key was taken out, add again" before giving up. */
const REPLACE_ATTEMPTS = 5;

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
   * A delayed job that replaces the pending one with the same definition and key: a recomputation
   * (a deadline moved, a visit rescheduled) leaves exactly one job, the last one. Built on BullMQ's
   * deduplication (`replace` swaps a delayed job atomically; `keepLastIfActive` makes a job added
   * while the holder runs follow it); a holder that is already due but not yet taken is removed
   * here, because BullMQ would keep it and drop the new one. Concurrent producers of one key end
   * with one of their jobs, not necessarily the newest: put a version or the deadline in the
   * payload and let the handler ignore a job that no longer matches the state. Returns the job id.
   */
  async schedule<P>(definition: JobDefinition<P>, payload: P, { key, runAt }: DelayedJobOptions): Promise<string> {
    const queue = this.get(definition.queue);
    const deduplication = { id: delayedJobKey(definition, key), replace: true, keepLastIfActive: true };
    for (let attempt = 0; attempt < REPLACE_ATTEMPTS; attempt++) {
      const jobId = randomUUID();
      const job = await queue.add(definition.name, payload, { jobId, delay: Math.max(0, runAt.getTime() - Date.now()), deduplication });
      if (job.id === jobId) return jobId;
      // Folded into the job that holds the key: if it runs, ours was stored to follow it.
      if ((await queue.getJobState(job.id!)) === 'active') return jobId;
      // It is due with the old payload (or was just taken: then the next round finds it active).
      await queue.remove(job.id!);
    }
    throw new Error(`Could not replace the pending ${definition.name} job for ${key}`);
  }

  /**
   * Drops the pending job of this definition and key, and a replacement waiting to follow a running
   * one; a job already running finishes. Returns whether a pending job was removed.
   */
  async cancel(definition: JobDefinition<unknown>, key: string): Promise<boolean> {
    const queue = this.get(definition.queue);
    const id = delayedJobKey(definition, key);
    // BullMQ keeps the job that follows a running holder under `<queue>:dn:<id>` and has no call to drop it.
    await (await queue.backend.client).del(queue.toKey(`dn:${id}`));
    const holder = await queue.getDeduplicationJobId(id);
    if (!holder || (await queue.getJobState(holder)) === 'active') return false;
    return (await queue.remove(holder)) === 1;
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

/** The deduplication id of a delayed job: per queue in Redis, so the job name keeps keys of two jobs apart. */
function delayedJobKey(definition: JobDefinition<unknown>, key: string): string {
  if (key.length === 0 || key.length > 200) throw new Error(`A delayed job's key must be 1 to 200 characters, got "${key}"`);
  return `${definition.name}:${key}`;
}
