import { Logger } from '@nestjs/common';
import {
  CONSOLE_EVENTS,
  ContextRegistry,
  EventConsumer,
  OnEventSelfAcknowledged,
  QueueRegistry,
  type AnyEventDefinition,
  type EventEnvelope,
  type SelfAcknowledgingEventHandler,
} from '@switchboard/platform';
import { matchesFilter } from '../domain/event-filter';
import { DeliverWebhook, WebhooksQueue } from '../integrations.context';
import { WebhooksRepository } from '../repositories/webhooks.repository';

/** The JSON every endpoint receives: the event's id, its public type and version, and the data consoles get. */
export interface WebhookBody {
  id: string;
  type: string;
  version: number;
  occurredAt: string;
  tenantId: string;
  data: Record<string, unknown>;
}

/**
 * The public events are those contexts map for agent consoles (`ticket.created`, `job.completed`, …):
 * each has a stable public name and a presented payload, declared by its own context, so webhooks
 * subscribe to that same set (CONSOLE_EVENTS) and name no context. Events meant only for one
 * user's console (timers, personal views) are not sent. One delivery row per (endpoint, event),
 * written with the receipt; the delivery jobs are queued after commit (the sweep queues them
 * should that fail).
 */
@OnEventSelfAcknowledged(CONSOLE_EVENTS, { queue: WebhooksQueue, job: 'webhooks.fan-out' })
export class FanOutWebhooksJob implements SelfAcknowledgingEventHandler<AnyEventDefinition> {
  private readonly logger = new Logger(FanOutWebhooksJob.name);

  constructor(
    private readonly consumer: EventConsumer,
    private readonly registry: ContextRegistry,
    private readonly webhooks: WebhooksRepository,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(event: EventEnvelope, consumer: string): Promise<void> {
    const mapping = this.registry.consoleMapping(event);
    const personal = mapping?.audience?.users && !mapping.audience.permission;
    const created: string[] = [];
    await this.consumer.once(consumer, event, async (tx) => {
      if (!mapping || personal) return;
      const endpoints = (await this.webhooks.activeEndpoints(tx)).filter((e) => matchesFilter(e.eventTypes, mapping.name));
      if (endpoints.length === 0) return;
      const body: WebhookBody = { id: event.id, type: mapping.name, version: event.eventVersion, occurredAt: event.occurredAt, tenantId: event.tenantId, data: mapping.present(event) };
      const json = JSON.stringify(body);
      for (const endpoint of endpoints) {
        const id = await this.webhooks.insertDelivery(tx, endpoint.id, event.id, mapping.name, json);
        if (id) created.push(id);
      }
    });
    const queued = await Promise.allSettled(created.map((deliveryId) => this.queues.schedule(DeliverWebhook, { tenantId: event.tenantId, deliveryId }, { key: deliveryId, runAt: new Date() })));
    const failed = queued.filter((r) => r.status === 'rejected').length;
    if (failed > 0) this.logger.warn({ eventId: event.id, failed }, 'Webhook deliveries not queued; the sweep will');
  }
}
