export { ReportingModule } from './reporting.module';
export { ReportingHttpModule } from './reporting-http.module';
export { ReportingWorkerModule } from './reporting-worker.module';
export { GetTicketMetricsQuery, GetStatusDurationsQuery } from './queries/get-ticket-metrics/get-ticket-metrics.query';
export type { TicketMetrics, StatusInterval, NextReply } from './domain/ticket-metrics';
export * from './reporting.context';
export { GetReportQuery, type GetReportParams } from './queries/get-report/get-report.query';
export * from './domain/report';
