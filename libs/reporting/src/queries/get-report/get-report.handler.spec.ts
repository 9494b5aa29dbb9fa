import type { QueryBus } from '@nestjs/cqrs';
import { ProblemException, type TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction } from '@switchboard/platform/testing';
import type { Aggregate } from '../../domain/report-builder';
import type { RollupsRepository } from '../../repositories/rollups.repository';
import type { ReportFilter } from '../../repositories/rollups.sql';
import { GetReportHandler } from './get-report.handler';
import { GetReportQuery } from './get-report.query';

const TENANT = '11111111-1111-4111-8111-111111111111';
const AGENT = '22222222-2222-4222-8222-222222222222';

function handler(rows: Aggregate[], backlog: Aggregate[] = []) {
  const filters: ReportFilter[] = [];
  const repo = {
    aggregate: async (_tx: unknown, f: ReportFilter, metrics: string[]) => (filters.push(f), metrics.length ? rows : []),
    backlog: async (_tx: unknown, f: ReportFilter) => (filters.push(f), backlog),
    computedAt: async () => '2026-03-29T10:00:00.000Z',
  } as unknown as RollupsRepository;
  const queries = { execute: async () => ({ id: TENANT, timezone: 'Europe/Berlin' }) } as unknown as QueryBus;
  return { filters, handler: new GetReportHandler(new FakeTenantTransaction() as unknown as TenantTransaction, queries, repo) };
}

describe('GetReportHandler', () => {
  it('answers the report from the rollups in the tenant’s zone', async () => {
    const { handler: h, filters } = handler([{ period: '2026-03-23', dim: '', metric: 'created', key: '', n: 7, amount: 0, p50: null, p90: null }]);
    const result = await h.execute(new GetReportQuery(TENANT, { report: 'volume', from: '2026-03-23', to: '2026-03-29', interval: 'week' }));
    expect(result).toMatchObject({ report: 'volume', timeZone: 'Europe/Berlin', from: '2026-03-23', to: '2026-03-29', interval: 'week', groupBy: null, currency: null, computedAt: '2026-03-29T10:00:00.000Z' });
    expect(result.series[0]).toEqual({ key: 'created', label: 'Created', unit: 'count', points: [{ period: '2026-03-23', value: 7 }] });
    expect(filters[0]).toMatchObject({ tenantId: TENANT, interval: 'week', agentId: null });
  });

  it('reads the backlog at each period’s end', async () => {
    const { handler: h } = handler([], [{ period: '2026-03-29', dim: '', metric: 'backlog', key: '', n: 4, amount: 0, p50: null, p90: null }]);
    const result = await h.execute(new GetReportQuery(TENANT, { report: 'backlog', from: '2026-03-29', to: '2026-03-29' }));
    expect(result.series.map((s) => [s.key, s.points])).toEqual([['backlog', [{ period: '2026-03-29', value: 4 }]]]);
  });

  it('keeps an agent to their own figures and refuses an unknown report', async () => {
    const { handler: h, filters } = handler([]);
    const result = await h.execute(new GetReportQuery(TENANT, { report: 'volume', viewer: { userId: AGENT, role: 'agent' } }));
    expect(result.filters.agentId).toBe(AGENT);
    expect(filters[0]!.agentId).toBe(AGENT);
    await expect(h.execute(new GetReportQuery(TENANT, { report: 'nope' }))).rejects.toBeInstanceOf(ProblemException);
  });
});
