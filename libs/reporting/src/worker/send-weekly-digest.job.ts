import { Inject, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { HandlesJob, MAILER, TenantTransaction, type CommandContext, type JobHandler, type Mailer } from '@switchboard/platform';
import { GetOwnerEmailsQuery, GetTenantQuery } from '@switchboard/tenancy';
import { renderReportChart } from '../charts/chart-renderer';
import { SendWeeklyDigest, type SendWeeklyDigestPayload } from '../digest/digest.definitions';
import { DIGEST_REPORTS, digestFigures, digestMail, isWeekStart, weekOf, type DigestReports } from '../digest/weekly-digest';
import type { ReportResult } from '../domain/report';
import { GetReportQuery } from '../queries/get-report/get-report.query';
import { DigestsRepository } from '../repositories/digests.repository';

/**
 * One tenant's digest of one week, mailed to its owners and admins. The week is claimed in
 * `reporting_digests` before anything is sent (a second run, a redelivery or a duplicate job finds
 * the claim and does nothing); the figures are read and the chart drawn after that commit, never
 * inside a transaction. If it fails before any mail went out, the claim is released for the job's
 * retry; once one went out, the week counts as sent.
 */
@HandlesJob(SendWeeklyDigest)
export class SendWeeklyDigestJob implements JobHandler<SendWeeklyDigestPayload> {
  private readonly logger = new Logger(SendWeeklyDigestJob.name);

  constructor(
    private readonly tx: TenantTransaction,
    private readonly digests: DigestsRepository,
    private readonly queries: QueryBus,
    @Inject(MAILER) private readonly mailer: Mailer,
  ) {}

  async handle({ tenantId, weekStart }: SendWeeklyDigestPayload): Promise<void> {
    if (!isWeekStart(weekStart)) throw new Error(`weekStart must be a Monday (YYYY-MM-DD), got ${JSON.stringify(weekStart)}`);
    const ctx: CommandContext = { tenantId, actorId: null, correlationId: `weekly-digest:${weekStart}` };
    const claimed = await this.tx.run(ctx, async (tx) => (await this.digests.settings(tx)).weeklyEnabled && (await this.digests.claim(tx, weekStart)));
    if (!claimed) return;
    let sent = 0;
    try {
      const week = weekOf(weekStart);
      const tenant = await this.queries.execute(new GetTenantQuery(tenantId));
      const report = (name: string, interval: 'week' | 'day'): Promise<ReportResult> =>
        this.queries.execute(new GetReportQuery(tenantId, { report: name, from: week.weekStart, to: week.weekEnd, interval, viewer: null }));
      // One after the other: each is a short read, and the embedded database serves one at a time anyway.
      const reports = {} as DigestReports;
      for (const name of DIGEST_REPORTS) reports[name] = await report(name, 'week');
      const volumeByDay = await report('volume', 'day');
      const chartSvg = await renderReportChart(volumeByDay, { width: 640, height: 260 }).catch((error: unknown) => {
        this.logger.warn({ tenantId, weekStart, error: String(error) }, 'Weekly digest chart not drawn; the mail goes without it');
        return null;
      });
      const mail = digestMail({ tenantName: tenant.name, week, timeZone: tenant.timezone, figures: digestFigures(reports), chartSvg });
      const recipients = await this.queries.execute(new GetOwnerEmailsQuery(tenantId, ['owner', 'admin']));
      for (const to of recipients) {
        await this.mailer.send({ to, ...mail });
        sent++;
      }
    } catch (error) {
      if (sent === 0) await this.tx.run(ctx, (tx) => this.digests.release(tx, weekStart));
      else await this.tx.run(ctx, (tx) => this.digests.sent(tx, weekStart, sent));
      throw error;
    }
    await this.tx.run(ctx, (tx) => this.digests.sent(tx, weekStart, sent));
    this.logger.log({ tenantId, weekStart, recipients: sent }, 'Weekly digest sent');
  }
}
