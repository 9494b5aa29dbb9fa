import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, ProblemException, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { MeterReportsRepository } from '../meter-reports.repository';
import { differenceOf, REPORT_CATEGORIES, unexplainedOf } from '../meter-slices';
import { ListReconciliationsQuery, type ReconciliationView } from './list-reconciliations.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function keyOf([checkedAt, tenantId, category]: unknown[]): { checkedAt: string; tenantId: string; category: string } {
  if (typeof checkedAt !== 'string' || !Number.isFinite(Date.parse(checkedAt)) || typeof tenantId !== 'string' || !UUID.test(tenantId) || !(REPORT_CATEGORIES as readonly unknown[]).includes(category)) {
    throw new ProblemException({ status: 400, type: 'invalid-cursor', title: 'Bad Request', detail: 'The cursor is not one this list issued; start again without it.', errors: [{ field: 'cursor', message: 'is invalid' }] });
  }
  return { checkedAt, tenantId, category: category as string };
}

@QueryHandler(ListReconciliationsQuery)
export class ListReconciliationsHandler implements IQueryHandler<ListReconciliationsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: MeterReportsRepository,
  ) {}

  async execute({ limit, cursor, differencesOnly, tenantId }: ListReconciliationsQuery): Promise<Page<ReconciliationView>> {
    const after = cursor ? keyOf(decodeCursor(cursor, 3)) : null;
    const rows = await this.tx.runAsSystem((manager) => this.repository.reconciliations(manager, limit + 1, after, differencesOnly, tenantId));
    const page = toPage(rows, limit, (last) => [last.checked_key, last.tenant_id, last.category]);
    return {
      ...page,
      data: page.data.map((r) => {
        const line = { ours: Number(r.ours), reported: Number(r.reported), pending: Number(r.pending), stripe: Number(r.stripe) };
        return {
          tenantId: r.tenant_id,
          period: { start: r.period_start, end: r.period_end },
          category: r.category,
          ...line,
          difference: differenceOf(line),
          unexplained: unexplainedOf(line),
          checkedAt: new Date(r.checked_at).toISOString(),
        };
      }),
    };
  }
}
