import { Module } from '@nestjs/common';
import { ReportingModule } from './reporting.module';
import { MetricsRollupQueueProcessor } from './worker/metrics-rollup-queue.processor';
import { QueueWeeklyDigestsJob } from './worker/queue-weekly-digests.job';
import { ReportDigestQueueProcessor } from './worker/report-digest-queue.processor';
import { SendWeeklyDigestJob } from './worker/send-weekly-digest.job';
import { RecordReportFactsJob } from './worker/record-report-facts.job';
import { RollUpTenantJob } from './worker/roll-up-tenant.job';
import { SweepRollupsJob } from './worker/sweep-rollups.job';
import { RebuildMetricsBatchJob } from './worker/rebuild-metrics-batch.job';
import { RecomputeTicketMetricsJob } from './worker/recompute-ticket-metrics.job';
import { TrackTicketMetricsJob } from './worker/track-ticket-metrics.job';

@Module({ imports: [ReportingModule], providers: [MetricsRollupQueueProcessor, TrackTicketMetricsJob, RecomputeTicketMetricsJob, RebuildMetricsBatchJob, RecordReportFactsJob, RollUpTenantJob, SweepRollupsJob, ReportDigestQueueProcessor, QueueWeeklyDigestsJob, SendWeeklyDigestJob] })
export class ReportingWorkerModule {}
