export { TicketsModule } from './tickets.module';
export { TicketsHttpModule } from './tickets-http.module';
export { TicketsWorkerModule } from './tickets-worker.module';
export { GetTicketQuery } from './queries/get-ticket/get-ticket.query';
export { GetStorageUsageQuery } from './queries/get-storage-usage/get-storage-usage.query';
export { GetStorageByTypeQuery, type StoredFileType } from './queries/get-storage-by-type/get-storage-by-type.query';
export type { TicketView } from './repositories/tickets.sql';
export { SummarizeTicketCommand } from './commands/summarize-ticket/summarize-ticket.command';
export { DraftReplyCommand } from './commands/draft-reply/draft-reply.command';
export { TriageTicketCommand } from './commands/triage-ticket/triage-ticket.command';
export { AcceptSuggestionCommand, type AcceptedSuggestion, type SuggestionEdits } from './commands/accept-suggestion/accept-suggestion.command';
export { RejectSuggestionCommand } from './commands/reject-suggestion/reject-suggestion.command';
export { SuggestionStatsQuery, type SuggestionStats, type SuggestionKindStats } from './queries/suggestion-stats/suggestion-stats.query';
export type { SuggestionView, SuggestionKind, SuggestionStatus } from './repositories/suggestions.sql';
export * from './tickets.context';
/** Where a context that sells plans limits stored attachment bytes (ADR 0052). */
export { STORAGE_QUOTA_POLICY, type StorageLimit, type StorageQuotaPolicy } from './domain/storage-quota.port';
/** Where a context that sells plans switches tickets' plan features (AI assists) on or off (ADR 0052). */
export { AI_ASSISTS, MESSAGING_CHANNELS } from './domain/plan-feature.port';
export type * from './realtime/console-events';
export { ExportContactTicketsQuery, type ContactTicketsExport } from './queries/export-contact-tickets/export-contact-tickets.query';
/** The SLA engine's integration events; its metric events live in `sla_metric_events` (ADR 0045, README) for the reporting context to read. */
export { TicketSlaWarning, TicketSlaBreached, TicketSlaTargetFulfilled, BusinessCalendarChanged, SlaPolicyChanged } from './sla/sla.registration';
export type { RecordedMetricEvent, TicketSlaState, SlaStateFilter } from './sla/domain/sla-state';
/** What reporting reads of tickets (ADR 0051): their timelines, and the business calendar arithmetic their metrics use. */
export { TicketTimelinesQuery, type TicketTimeline, type TimelineEntry } from './queries/ticket-timelines/ticket-timelines.query';
export { prepareCalendar, businessMinutesBetween, type CalendarSpec, type PreparedCalendar } from './sla/domain/business-calendar';
export { AuthenticateVisitorQuery, type AuthenticatedVisitor } from './channels/queries/authenticate-visitor/authenticate-visitor.query';
export { VISITOR_NAMESPACE, visitorRoom } from './channels/domain/widget';
export { GroupNamesQuery } from './queries/group-names/group-names.query';
