import { SetMetadata, applyDecorators, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobName, JobPayload, QueueName } from './queue-registry';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

export interface JobHandlerMeta {
  queue: QueueName;
  job: string;
}

export interface JobHandler<Q extends QueueName = QueueName, J extends JobName<Q> = JobName<Q>> {
  handle(payload: JobPayload<Q, J>, job: Job): Promise<void>;
}

/** Marks a provider as the handler of one registered job; discovered at worker boot. */
export function HandlesJob<Q extends QueueName>(queue: Q, job: JobName<Q>): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(JOB_HANDLER, { queue, job } satisfies JobHandlerMeta));
}
