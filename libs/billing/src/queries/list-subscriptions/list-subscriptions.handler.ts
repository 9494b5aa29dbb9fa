import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, ProblemException, TenantTransaction, toPage, type Page } from '@switchboard/platform';
import { TenantBilling } from '../../entitlements/tenant-billing.service';
import { BillingRepository } from '../../repositories/billing.repository';
import { ListSubscriptionsQuery, type TenantSubscription } from './list-subscriptions.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function keyOf([updatedAt, tenantId]: unknown[]): { updatedAt: string; tenantId: string } {
  if (typeof updatedAt !== 'string' || !Number.isFinite(Date.parse(updatedAt)) || typeof tenantId !== 'string' || !UUID.test(tenantId)) {
    throw new ProblemException({ status: 400, type: 'invalid-cursor', title: 'Bad Request', detail: 'The cursor is not one this list issued; start again without it.', errors: [{ field: 'cursor', message: 'is invalid' }] });
  }
  return { updatedAt, tenantId };
}

@QueryHandler(ListSubscriptionsQuery)
export class ListSubscriptionsHandler implements IQueryHandler<ListSubscriptionsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly repository: BillingRepository,
    private readonly billing: TenantBilling,
  ) {}

  async execute({ limit, cursor, status }: ListSubscriptionsQuery): Promise<Page<TenantSubscription>> {
    const after = cursor ? keyOf(decodeCursor(cursor, 2)) : null;
    const rows = await this.tx.runAsSystem((manager) => this.repository.allSubscriptions(manager, limit + 1, after, status ?? null));
    const now = Date.now();
    const page = toPage(rows, limit, (last) => [last.updatedAt!, last.tenantId]);
    return { ...page, data: page.data.map(({ stripeStateAt: _, ...view }) => ({ ...view, limited: this.billing.limited(view, now) })) };
  }
}
