export { FieldServiceModule } from './field-service.module';
export { FieldServiceHttpModule } from './field-service-http.module';
export { GetJobQuery } from './queries/get-job/get-job.query';
export type { JobDetail } from './repositories/job-detail.reader';
export type { JobView } from './repositories/jobs.sql';
export type { VisitView } from './repositories/visits.sql';
export type { JobStatus, VisitStatus } from './domain/status';
export * from './field-service.context';
