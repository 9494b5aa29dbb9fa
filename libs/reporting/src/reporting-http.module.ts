import { Module } from '@nestjs/common';
import { AdminReportingController } from './http/admin-reporting.controller';
import { ReportExportsController } from './http/report-exports.controller';
import { ReportsController } from './http/reports.controller';
import { TicketMetricsController } from './http/ticket-metrics.controller';
import { ReportingModule } from './reporting.module';

@Module({ imports: [ReportingModule], controllers: [TicketMetricsController, AdminReportingController, ReportExportsController, ReportsController] })
export class ReportingHttpModule {}
