import { Module } from '@nestjs/common';
import { AdminReportingController } from './http/admin-reporting.controller';
import { ReportChartsController } from './http/report-charts.controller';
import { ReportDigestController } from './http/report-digest.controller';
import { ReportExportsController } from './http/report-exports.controller';
import { ReportsController } from './http/reports.controller';
import { TicketMetricsController } from './http/ticket-metrics.controller';
import { ReportingModule } from './reporting.module';

@Module({ imports: [ReportingModule], controllers: [TicketMetricsController, AdminReportingController, ReportExportsController, ReportsController, ReportChartsController, ReportDigestController] })
export class ReportingHttpModule {}
