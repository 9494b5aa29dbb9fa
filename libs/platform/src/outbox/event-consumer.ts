import { Injectable } from '@nestjs/common';
import { TenantTransaction, type TenantTx } from '../database/tenant-transaction';
import type { EventEnvelope } from './event-envelope';

/**
 * Runs a consumer's effect at most once per event: the receipt and the effect commit together,
 * and the receipt is also the acknowledgement the sweeper looks for. A duplicate delivery finds
 * the receipt and does nothing.
 */
@Injectable()
export class EventConsumer {
  constructor(private readonly tx: TenantTransaction) {}

  async once(consumer: string, event: EventEnvelope<unknown>, effect: (tx: TenantTx) => Promise<void>): Promise<boolean> {
    return this.tx.run({ tenantId: event.tenantId, actorId: event.actorId, correlationId: event.correlationId }, async (tx) => {
      const inserted: unknown[] = await tx.manager.query(
        `INSERT INTO event_receipts (tenant_id, consumer, event_id) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.tenantId, consumer, event.id],
      );
      if (inserted.length === 0) return false;
      await effect(tx);
      return true;
    });
  }
}
