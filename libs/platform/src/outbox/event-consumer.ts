import { Injectable } from '@nestjs/common';
import type { Statement } from '../database/pipelined-transaction';
import { TenantTransaction, type TenantTx } from '../database/tenant-transaction';
import type { EventEnvelope } from './event-envelope';

const receipt = (consumer: string, event: EventEnvelope<unknown>): Statement => ({
  sql: `INSERT INTO event_receipts (tenant_id, consumer, event_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
  params: [event.tenantId, consumer, event.id],
});

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
      const { sql, params } = receipt(consumer, event);
      const inserted: unknown[] = await tx.manager.query(sql, params);
      if (inserted.length === 0) return false;
      await effect(tx);
      return true;
    });
  }

  /**
   * For an effect that is a few statements known up front and harmless to repeat (a mark, an
   * upsert of the same values): the receipt and the statements leave with BEGIN and COMMIT in one
   * round trip (`TenantTransaction.runBatch`) instead of one per statement. They still commit
   * together, so an event acknowledged has had its effect; a duplicate delivery runs the statements
   * again (hence "harmless to repeat"). Answers whether this delivery wrote the receipt.
   */
  async onceBatched(consumer: string, event: EventEnvelope<unknown>, statements: readonly Statement[]): Promise<boolean> {
    const [inserted] = await this.tx.runBatch({ tenantId: event.tenantId, actorId: event.actorId, correlationId: event.correlationId }, [receipt(consumer, event), ...statements]);
    return inserted!.length > 0;
  }
}
