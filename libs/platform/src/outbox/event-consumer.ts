import { Injectable, Logger } from '@nestjs/common';
import type { Statement } from '../database/pipelined-transaction';
import { TenantTransaction, type TenantTx } from '../database/tenant-transaction';
import type { EventEnvelope } from './event-envelope';

const receipt = (consumer: string, event: EventEnvelope<unknown>): Statement => ({
  sql: `INSERT INTO event_receipts (tenant_id, consumer, event_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING event_id`,
  params: [event.tenantId, consumer, event.id],
});

/** Many deliveries' receipts in one statement; answers the (consumer, event) pairs it wrote. */
const receipts = (tenantId: string, deliveries: readonly Delivery[]): Statement => ({
  sql: `INSERT INTO event_receipts (tenant_id, consumer, event_id)
        SELECT $1, r.consumer, r.event_id FROM unnest($2::text[], $3::uuid[]) AS r (consumer, event_id)
        ON CONFLICT DO NOTHING RETURNING consumer, event_id`,
  params: [tenantId, deliveries.map((d) => d.consumer), deliveries.map((d) => d.event.id)],
});

interface Delivery {
  consumer: string;
  event: EventEnvelope<unknown>;
  statements: readonly Statement[];
  resolve(wrote: boolean): void;
  reject(error: unknown): void;
}

/** The most deliveries one grouped transaction carries (a bigger group waits for the next). */
export const MAX_GROUPED_DELIVERIES = 200;

/**
 * Runs a consumer's effect at most once per event: the receipt and the effect commit together,
 * and the receipt is also the acknowledgement the sweeper looks for. A duplicate delivery finds
 * the receipt and does nothing.
 */
@Injectable()
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  /** Per tenant: deliveries waiting for the next grouped transaction. */
  private readonly waiting = new Map<string, Delivery[]>();
  /** Tenants with a grouped transaction being sent or waiting to be. */
  private readonly flushing = new Set<string>();

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
   * For an effect that is a few statements known up front, harmless to repeat (a mark, an upsert of
   * the same values) and independent of who caused the event: the receipt and the statements
   * commit together, so an event acknowledged has had its effect; a duplicate delivery runs the
   * statements again (hence "harmless to repeat"). Answers whether this delivery wrote the receipt.
   *
   * Deliveries of one tenant are group-committed (ADR 0069): the first goes at once, and those
   * that arrive while a tenant's transaction is on its way (a worker runs several jobs at a time)
   * leave together in the next one — their receipts as one statement, their statements after it,
   * BEGIN to COMMIT in one round trip (`TenantTransaction.runBatch`). One delivery alone costs what
   * it did; a backlog costs one transaction per group instead of one per event. The group runs
   * as the tenant's system work (no actor or correlation id: the statements must not need them).
   * A group that fails is sent again one delivery per transaction, so only the delivery at fault
   * fails (and is retried by its queue); the others commit. Called inside a tenant transaction, the
   * receipt and the statements join that transaction instead and commit with it.
   */
  async onceBatched(consumer: string, event: EventEnvelope<unknown>, statements: readonly Statement[]): Promise<boolean> {
    if (this.tx.current()) {
      const [written] = await this.tx.runBatch({ tenantId: event.tenantId, actorId: event.actorId, correlationId: event.correlationId }, [receipt(consumer, event), ...statements]);
      return written!.length > 0;
    }
    return new Promise<boolean>((resolve, reject) => {
      const tenantId = event.tenantId;
      const waiting = this.waiting.get(tenantId);
      const delivery = { consumer, event, statements, resolve, reject };
      if (waiting) waiting.push(delivery);
      else this.waiting.set(tenantId, [delivery]);
      if (!this.flushing.has(tenantId)) {
        this.flushing.add(tenantId);
        // After this turn of the event loop: jobs started together leave together.
        setImmediate(() => void this.flush(tenantId));
      }
    });
  }

  private async flush(tenantId: string): Promise<void> {
    for (;;) {
      const waiting = this.waiting.get(tenantId) ?? [];
      const group = waiting.splice(0, MAX_GROUPED_DELIVERIES);
      if (waiting.length === 0) this.waiting.delete(tenantId);
      if (group.length === 0) {
        this.flushing.delete(tenantId);
        return;
      }
      try {
        await this.commitGroup(tenantId, group);
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        else {
          this.logger.warn({ err: error, tenantId, deliveries: group.length }, 'A grouped receipt transaction failed; sending its deliveries one by one');
          await Promise.all(group.map((d) => this.commitGroup(tenantId, [d]).catch((e: unknown) => d.reject(e))));
        }
      }
    }
  }

  private async commitGroup(tenantId: string, group: readonly Delivery[]): Promise<void> {
    const [written] = await this.tx.runBatch({ tenantId, actorId: null, correlationId: null }, [receipts(tenantId, group), ...group.flatMap((d) => d.statements)]);
    const fresh = new Set((written as { consumer: string; event_id: string }[]).map((r) => `${r.consumer}\u0000${r.event_id.toLowerCase()}`));
    for (const d of group) {
      const key = `${d.consumer}\u0000${d.event.id.toLowerCase()}`;
      // The same delivery twice in one group: the first one wrote the receipt.
      d.resolve(fresh.delete(key));
    }
  }
}
