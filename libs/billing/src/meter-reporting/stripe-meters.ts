import { Inject, Injectable } from '@nestjs/common';
import { billingConfig, type BillingConfig } from '../billing.context';
import { StripeGateway } from '../stripe/stripe-gateway';
import type { ReportCategory } from './meter-slices';

/** What Stripe said to one meter event. */
export type MeterEventOutcome = { ok: true } | { ok: false; error: string; rejected: boolean };

/** The parts of a Stripe SDK error we decide on. */
interface StripeFailure {
  statusCode?: number;
  message?: string;
  code?: string;
}

/**
 * A failure Stripe will answer the same way however often it is retried (an invalid request: no
 * such meter or customer, a bad value). Authentication, rate limits, conflicts, server errors and
 * the network are retried: fixing the key or waiting delivers them.
 */
export function isPermanent(error: StripeFailure): boolean {
  return error.statusCode === 400 || error.statusCode === 404;
}

/** Stripe refusing an identifier it already has: the event was delivered by an earlier attempt. */
export function isDuplicateIdentifier(error: StripeFailure): boolean {
  return error.statusCode === 400 && /identifier/i.test(error.message ?? '') && /already|exists|duplicate/i.test(error.message ?? '');
}

/**
 * Stripe's billing meters through the official SDK (v1 meter events with an identifier and the
 * same idempotency key, and event summaries). Meter ids are looked up by event name once and
 * again when one is missing.
 */
@Injectable()
export class StripeMeters {
  private meterIds: Map<string, string> | null = null;

  constructor(
    private readonly gateway: StripeGateway,
    @Inject(billingConfig.token) private readonly config: BillingConfig,
  ) {}

  get configured(): boolean {
    return this.gateway.configured;
  }

  eventName(category: ReportCategory): string {
    return `${this.config.STRIPE_METER_EVENT_PREFIX}${category}`;
  }

  async send(event: { eventName: string; identifier: string; customerId: string; quantity: number; eventAt: Date; model: string | null }): Promise<MeterEventOutcome> {
    try {
      await this.gateway.sdk().billing.meterEvents.create(
        {
          event_name: event.eventName,
          identifier: event.identifier,
          timestamp: Math.floor(event.eventAt.getTime() / 1000),
          payload: { stripe_customer_id: event.customerId, value: String(event.quantity), ...(event.model ? { model: event.model } : {}) },
        },
        { idempotencyKey: event.identifier },
      );
      return { ok: true };
    } catch (error) {
      const failure = (error ?? {}) as StripeFailure;
      if (isDuplicateIdentifier(failure)) return { ok: true };
      return { ok: false, error: `${failure.statusCode ?? 'network'}: ${String(failure.message ?? error)}`.slice(0, 500), rejected: isPermanent(failure) };
    }
  }

  /**
   * Stripe's aggregated value of a customer's events on a category's meter between two instants
   * (unix seconds, whole minutes): one summary for the whole range (no grouping window), whose
   * value is the sum for a `sum` meter and the last value for a `last` meter.
   */
  async summary(category: ReportCategory, customerId: string, startTime: number, endTime: number): Promise<number> {
    const meterId = await this.meterId(this.eventName(category));
    if (!meterId) throw new Error(`Stripe has no active meter for event name ${this.eventName(category)}`);
    let total = 0;
    for await (const summary of this.gateway.sdk().billing.meters.listEventSummaries(meterId, { customer: customerId, start_time: startTime, end_time: endTime })) {
      total += summary.aggregated_value;
    }
    return total;
  }

  private async meterId(eventName: string): Promise<string | undefined> {
    if (!this.meterIds?.has(eventName)) {
      const ids = new Map<string, string>();
      for await (const meter of this.gateway.sdk().billing.meters.list({ status: 'active', limit: 100 })) ids.set(meter.event_name, meter.id);
      this.meterIds = ids;
    }
    return this.meterIds.get(eventName);
  }
}
