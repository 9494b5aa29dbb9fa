import type { QueryBus } from '@nestjs/cqrs';
import type { Mailer, MailMessage, TenantTransaction } from '@switchboard/platform';
import { GetOwnerEmailsQuery, GetTenantQuery } from '@switchboard/tenancy';
import type { ReportResult } from '../domain/report';
import { GetReportQuery } from '../queries/get-report/get-report.query';
import type { DigestsRepository } from '../repositories/digests.repository';
import { SendWeeklyDigestJob } from './send-weekly-digest.job';

const TENANT = '0b6f4a52-4f6e-4d37-9a55-6a1c2f1f2a01';
const WEEK = '2026-11-30';

function report(name: string, params: { interval?: string }): ReportResult {
  const value = name === 'volume' ? 4 : name === 'csat' ? 75 : 2;
  const key = { volume: 'created', backlog: 'backlog', 'response-times': 'first_reply_p90', sla: 'breached', csat: 'score' }[name]!;
  const periods = params.interval === 'day' ? ['2026-11-30', '2026-12-01'] : ['2026-11-30'];
  return {
    report: name as ReportResult['report'],
    title: name,
    timeZone: 'Europe/Berlin',
    from: WEEK,
    to: '2026-12-06',
    interval: params.interval as ReportResult['interval'],
    groupBy: null,
    filters: { groupId: null, agentId: null },
    currency: null,
    series: [{ key, label: key, unit: name === 'csat' ? 'percent' : 'count', points: periods.map((period) => ({ period, value })) }],
    computedAt: null,
  };
}

function setup({ enabled = true, failOnMail = -1 } = {}) {
  const receipts = new Map<string, { sent: number | null }>();
  const digests = {
    settings: async () => ({ weeklyEnabled: enabled, lastWeekSent: null }),
    claim: async (_tx: unknown, week: string) => (receipts.has(week) ? false : (receipts.set(week, { sent: null }), true)),
    sent: async (_tx: unknown, week: string, n: number) => void receipts.set(week, { sent: n }),
    release: async (_tx: unknown, week: string) => void receipts.delete(week),
  } as unknown as DigestsRepository;
  const tx = { run: async (_ctx: unknown, work: (tx: unknown) => Promise<unknown>) => work({ tenantId: TENANT }) } as unknown as TenantTransaction;
  const asked: unknown[] = [];
  const queries = {
    execute: async (q: unknown) => {
      asked.push(q);
      if (q instanceof GetTenantQuery) return { id: TENANT, name: 'Acme', timezone: 'Europe/Berlin' };
      if (q instanceof GetOwnerEmailsQuery) return ['owner@acme.test', 'admin@acme.test'];
      if (q instanceof GetReportQuery) return report(q.params.report, q.params);
      throw new Error('unexpected query');
    },
  } as unknown as QueryBus;
  const mails: MailMessage[] = [];
  const mailer: Mailer = {
    send: async (m) => {
      if (mails.length === failOnMail) throw new Error('SMTP down');
      mails.push(m);
    },
  };
  return { job: new SendWeeklyDigestJob(tx, digests, queries, mailer), receipts, mails, asked };
}

describe('SendWeeklyDigestJob', () => {
  it('claims the week, reads the week’s reports as the system, mails owners and admins, and records the week sent', async () => {
    const { job, receipts, mails, asked } = setup();
    await job.handle({ tenantId: TENANT, weekStart: WEEK });
    expect(mails.map((m) => m.to)).toEqual(['owner@acme.test', 'admin@acme.test']);
    expect(mails[0]!.text).toMatch(/Tickets created\s+4\n/);
    expect(mails[0]!.html).toContain('data-figure="csat">75 %</td>');
    expect(mails[0]!.attachments?.[0]).toMatchObject({ filename: 'volume.svg', contentType: 'image/svg+xml' });
    expect(receipts.get(WEEK)).toEqual({ sent: 2 });
    const reports = asked.filter((q): q is GetReportQuery => q instanceof GetReportQuery).map((q) => q.params);
    expect(reports.every((p) => p.from === WEEK && p.to === '2026-12-06' && p.viewer === null)).toBe(true);
    expect(reports.map((p) => `${p.report}/${p.interval}`)).toEqual(['volume/week', 'backlog/week', 'response-times/week', 'sla/week', 'csat/week', 'volume/day']);
    expect(asked.find((q) => q instanceof GetOwnerEmailsQuery)).toMatchObject({ roles: ['owner', 'admin'] });

    // Again (a redelivery, a duplicate job): the claim is taken, nothing is sent.
    await job.handle({ tenantId: TENANT, weekStart: WEEK });
    expect(mails).toHaveLength(2);
  });

  it('sends nothing and claims nothing when the tenant turned the digest off', async () => {
    const { job, receipts, mails } = setup({ enabled: false });
    await job.handle({ tenantId: TENANT, weekStart: WEEK });
    expect(mails).toEqual([]);
    expect(receipts.size).toBe(0);
  });

  it('releases the week when no mail went out, so the retry sends it; keeps it once one did', async () => {
    const none = setup({ failOnMail: 0 });
    await expect(none.job.handle({ tenantId: TENANT, weekStart: WEEK })).rejects.toThrow('SMTP down');
    expect(none.receipts.size).toBe(0);

    const some = setup({ failOnMail: 1 });
    await expect(some.job.handle({ tenantId: TENANT, weekStart: WEEK })).rejects.toThrow('SMTP down');
    expect(some.receipts.get(WEEK)).toEqual({ sent: 1 });
  });

  it('refuses a week that does not start on a Monday', async () => {
    const { job, receipts } = setup();
    await expect(job.handle({ tenantId: TENANT, weekStart: '2026-12-01' })).rejects.toThrow(/Monday/);
    expect(receipts.size).toBe(0);
  });
});
