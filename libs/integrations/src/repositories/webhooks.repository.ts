import { Injectable } from '@nestjs/common';
import type { Statement, TenantTx } from '@switchboard/platform';
import {
  toDeliveryView,
  toDeliveryWork,
  toEndpointView,
  toSealedSecrets,
  webhooksSql,
  type AttemptOutcome,
  type DeliveryRow,
  type DeliveryStatus,
  type DeliveryView,
  type DeliveryWork,
  type EndpointFields,
  type EndpointRow,
  type EndpointView,
  type SealedSecrets,
} from './webhooks.sql';

/** Unwraps what `manager.query` answers for an UPDATE … RETURNING (rows and a count) and a SELECT (rows). */
export function rowsOf<R>(result: unknown): R {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R;
  return result as R;
}

const run = async <R>(tx: TenantTx, s: Statement): Promise<R> => rowsOf<R>(await tx.manager.query(s.sql, s.params as unknown[] | undefined));

/** Webhook endpoints and their deliveries (SQL in `webhooks.sql.ts`); every method runs in the caller's transaction. */
@Injectable()
export class WebhooksRepository {
  async findEndpoint(tx: TenantTx, id: string, lock = false): Promise<(EndpointView & { secrets: SealedSecrets }) | undefined> {
    const [row] = await run<EndpointRow[]>(tx, webhooksSql.findEndpoint(tx.tenantId, id, lock));
    return row ? { ...toEndpointView(row), secrets: toSealedSecrets(row) } : undefined;
  }

  async listEndpoints(tx: TenantTx): Promise<EndpointView[]> {
    return (await run<EndpointRow[]>(tx, webhooksSql.listEndpoints(tx.tenantId))).map(toEndpointView);
  }

  async activeEndpoints(tx: TenantTx): Promise<{ id: string; eventTypes: string[] }[]> {
    return (await run<{ id: string; event_types: string[] }[]>(tx, webhooksSql.activeEndpoints(tx.tenantId))).map((r) => ({ id: r.id, eventTypes: r.event_types }));
  }

  async countEndpoints(tx: TenantTx): Promise<number> {
    return (await run<{ n: number }[]>(tx, webhooksSql.countEndpoints(tx.tenantId)))[0]!.n;
  }

  async insertEndpoint(tx: TenantTx, id: string, fields: EndpointFields, sealed: { keyId: string; blob: Buffer }, hint: string): Promise<EndpointView> {
    const [row] = await run<EndpointRow[]>(tx, webhooksSql.insertEndpoint(tx.tenantId, id, fields, sealed, hint));
    return toEndpointView(row!);
  }

  async updateEndpoint(tx: TenantTx, id: string, fields: EndpointFields): Promise<EndpointView> {
    const [row] = await run<EndpointRow[]>(tx, webhooksSql.updateEndpoint(tx.tenantId, id, fields));
    return toEndpointView(row!);
  }

  async rotateSecret(tx: TenantTx, id: string, sealed: { keyId: string; blob: Buffer }, hint: string, previousValidMs: number): Promise<EndpointView> {
    const [row] = await run<EndpointRow[]>(tx, webhooksSql.rotateSecret(tx.tenantId, id, sealed, hint, previousValidMs));
    return toEndpointView(row!);
  }

  async deleteEndpoint(tx: TenantTx, id: string): Promise<boolean> {
    return (await run<unknown[]>(tx, webhooksSql.deleteEndpoint(tx.tenantId, id))).length > 0;
  }

  async recordSuccess(tx: TenantTx, endpointId: string): Promise<void> {
    await run(tx, webhooksSql.recordSuccess(tx.tenantId, endpointId));
  }

  async recordFailure(tx: TenantTx, endpointId: string): Promise<{ consecutiveFailures: number; failingSince: Date; active: boolean } | undefined> {
    const [row] = await run<{ consecutive_failures: number; failing_since: Date; active: boolean }[]>(tx, webhooksSql.recordFailure(tx.tenantId, endpointId));
    return row ? { consecutiveFailures: row.consecutive_failures, failingSince: new Date(row.failing_since), active: row.active } : undefined;
  }

  /** Turns the endpoint off and stops its pending deliveries; false when it was already off. */
  async disable(tx: TenantTx, endpointId: string, reason: string): Promise<boolean> {
    const changed = (await run<unknown[]>(tx, webhooksSql.disable(tx.tenantId, endpointId, reason))).length > 0;
    if (changed) await this.failPending(tx, endpointId, `Endpoint disabled: ${reason}`);
    return changed;
  }

  /** Stops the pending deliveries of an endpoint that is off (an attempt in flight when it was disabled settles after it). */
  async failPending(tx: TenantTx, endpointId: string, reason: string): Promise<void> {
    await run(tx, webhooksSql.failPending(tx.tenantId, endpointId, reason.slice(0, 1000)));
  }

  async insertDelivery(tx: TenantTx, endpointId: string, eventId: string, eventType: string, body: string): Promise<string | undefined> {
    const [row] = await run<{ id: string }[]>(tx, webhooksSql.insertDelivery(tx.tenantId, endpointId, eventId, eventType, body));
    return row?.id;
  }

  async findDelivery(tx: TenantTx, id: string, endpointId?: string): Promise<DeliveryView | undefined> {
    const [row] = await run<DeliveryRow[]>(tx, webhooksSql.findDelivery(tx.tenantId, id, endpointId));
    return row ? toDeliveryView(row) : undefined;
  }

  async claimDelivery(tx: TenantTx, id: string): Promise<DeliveryWork | undefined> {
    const [row] = await run<DeliveryRow[]>(tx, webhooksSql.claimDelivery(tx.tenantId, id));
    return row ? toDeliveryWork(row) : undefined;
  }

  async settleDelivery(tx: TenantTx, id: string, outcome: AttemptOutcome): Promise<DeliveryView | undefined> {
    const [row] = await run<DeliveryRow[]>(tx, webhooksSql.settleDelivery(tx.tenantId, id, outcome));
    return row ? toDeliveryView(row) : undefined;
  }

  async requeueDelivery(tx: TenantTx, id: string, endpointId: string): Promise<DeliveryView | undefined> {
    const [row] = await run<DeliveryRow[]>(tx, webhooksSql.requeueDelivery(tx.tenantId, id, endpointId));
    return row ? toDeliveryView(row) : undefined;
  }

  async listDeliveries(tx: TenantTx, endpointId: string, limit: number, cursor?: string, status?: DeliveryStatus): Promise<DeliveryView[]> {
    return (await run<DeliveryRow[]>(tx, webhooksSql.listDeliveries(tx.tenantId, endpointId, limit, cursor, status))).map(toDeliveryView);
  }
}
