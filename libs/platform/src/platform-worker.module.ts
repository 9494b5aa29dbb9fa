import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WorkerHttpServer } from './observability/worker-http-server';
import { ConsumeProbeJob } from './diagnostics/event-handlers/consume-probe.job';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxSweeper } from './outbox/outbox-sweeper';
import { JobHandlerRegistry } from './queues/job-handler-registry';
import { OutboxQueueProcessor, PlatformQueueProcessor, RealtimeQueueProcessor } from './queues/platform-processors';
import { WorkerRunner } from './queues/worker-runner';
import { CONSOLE_PUBLISHER, PushCommittedEventsToConsoles, PushMissedConsoleEventJob, RedisEmitterPublisher } from './realtime/console-publisher';
import { RetentionJobHandler } from './retention/retention.job';
import { JobScheduler } from './schedules/job-scheduler';
import { ScheduledRuns } from './schedules/scheduled-runs';

/** The worker's platform part: relay, sweeper, the registry of job handlers, the job scheduler, platform queues, console pushes, retention. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [JobHandlerRegistry, WorkerRunner, WorkerHttpServer, OutboxRelay, OutboxSweeper, OutboxQueueProcessor, PlatformQueueProcessor, RealtimeQueueProcessor, ConsumeProbeJob,
    // Job results reach agent consoles through the api processes' Socket.IO adapter channel.
    { provide: CONSOLE_PUBLISHER, useClass: RedisEmitterPublisher },
    PushCommittedEventsToConsoles,
    PushMissedConsoleEventJob,
    ScheduledRuns,
    JobScheduler,
    RetentionJobHandler,
  ],
  exports: [WorkerRunner, JobHandlerRegistry, WorkerHttpServer, JobScheduler, ScheduledRuns],
})
export class PlatformWorkerModule {}
