import { Inject, Logger, type OnModuleInit } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ClsService } from 'nestjs-cls';
import { Metrics } from '../observability/metrics';
import { contextFrom, inSpan, SpanKind } from '../observability/trace-context';
import { JobScheduler } from '../schedules/job-scheduler';
import { JobHandlerRegistry } from './job-handler-registry';
import { WorkerRunner } from './worker-runner';

/**
 * The thin BullMQ adapter every queue gets: a fresh async context per job, then the registered
 * handler (through the job scheduler, which skips periods of a schedule that already completed). Declare one per queue with `@Processor(name, { autorun: false })`; WorkerRunner starts
 * only the queues this process consumes (WORKER_QUEUES), after checking every job has a handler.
 */
export abstract class QueueProcessor extends WorkerHost implements OnModuleInit {
  abstract readonly queue: string;
  protected readonly logger = new Logger(this.constructor.name);

  @Inject(JobHandlerRegistry) private readonly handlers: JobHandlerRegistry;
  @Inject(ClsService) private readonly cls: ClsService;
  @Inject(Metrics) private readonly metrics: Metrics;
  @Inject(WorkerRunner) private readonly runner: WorkerRunner;
  @Inject(JobScheduler) private readonly scheduler: JobScheduler;

  onModuleInit(): void {
    this.runner.register(this);
  }

  async process(job: Job): Promise<void> {
    // An event's job continues the trace of the request that committed it (through the relay's span).
    const parent = contextFrom((job.data as { traceContext?: unknown } | undefined)?.traceContext);
    const attributes = { 'messaging.system': 'bullmq', 'messaging.destination.name': this.queue, 'messaging.operation.type': 'process', 'messaging.message.id': job.id ?? '', 'switchboard.job': job.name };
    await inSpan(`${this.queue} ${job.name}`, { kind: SpanKind.CONSUMER, parent, attributes }, () =>
      this.cls.run(async () => {
        try {
          // A scheduler's job runs at most once per completed period (ADR 0016).
          await this.scheduler.run(job, () => this.handlers.dispatch(this.queue, job));
          this.metrics.jobsProcessed.inc({ queue: this.queue, job: job.name, outcome: 'completed' });
        } catch (error) {
          this.metrics.jobsProcessed.inc({ queue: this.queue, job: job.name, outcome: 'failed' });
          this.logger.warn({ err: error, jobId: job.id, job: job.name, attempt: job.attemptsMade + 1 }, 'Job failed');
          throw error;
        }
      }),
    );
  }
}
