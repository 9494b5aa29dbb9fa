import { Module } from '@nestjs/common';
import { TenancyModule } from '@switchboard/tenancy';
import { TicketsModule } from '@switchboard/tickets';
import { RebuildMetricsHandler } from './commands/rebuild-metrics/rebuild-metrics.handler';
import { SetDigestSettingsHandler } from './commands/set-digest-settings/set-digest-settings.handler';
import { ExportTicketMetricsHandler } from './queries/export-ticket-metrics/export-ticket-metrics.handler';
import { GetDigestSettingsHandler } from './queries/get-digest-settings/get-digest-settings.handler';
import { GetReportHandler } from './queries/get-report/get-report.handler';
import { GetMetricsRebuildHandler } from './queries/get-metrics-rebuild/get-metrics-rebuild.handler';
import { GetStatusDurationsHandler, GetTicketMetricsHandler } from './queries/get-ticket-metrics/get-ticket-metrics.handler';
import { DigestsRepository } from './repositories/digests.repository';
import { MetricsRepository } from './repositories/metrics.repository';
import { RebuildsRepository } from './repositories/rebuilds.repository';
import { RollupsRepository } from './repositories/rollups.repository';
import { TicketMetricsUpdater } from './worker/ticket-metrics-updater';

/**
 * Ticket metrics, status durations, rebuilds, daily rollups and reports; shared by the api and the worker. It reads
 * tickets (timelines, the ticket a caller asks about) and tenants through their contexts' queries.
 */
@Module({
  imports: [TicketsModule, TenancyModule],
  providers: [MetricsRepository, RebuildsRepository, RollupsRepository, TicketMetricsUpdater, GetReportHandler, RebuildMetricsHandler, GetMetricsRebuildHandler, GetTicketMetricsHandler, GetStatusDurationsHandler, ExportTicketMetricsHandler, DigestsRepository, GetDigestSettingsHandler, SetDigestSettingsHandler],
  exports: [TicketMetricsUpdater, RebuildsRepository, RollupsRepository, MetricsRepository, DigestsRepository],
})
export class ReportingModule {}
