import { Module } from '@nestjs/common';
import { ReportingModule } from './reporting.module';
import { MetricsRollupQueueProcessor } from './worker/metrics-rollup-queue.processor';
import { RebuildMetricsBatchJob } from './worker/rebuild-metrics-batch.job';
import { TrackTicketMetricsJob } from './worker/track-ticket-metrics.job';

@Module({ imports: [ReportingModule], providers: [MetricsRollupQueueProcessor, TrackTicketMetricsJob, RebuildMetricsBatchJob] })
export class ReportingWorkerModule {}
