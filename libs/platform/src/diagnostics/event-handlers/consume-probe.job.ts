import { EventConsumer } from '../../outbox/event-consumer';
import type { EventEnvelope } from '../../outbox/event-envelope';
import { HandlesJob, type JobHandler } from '../../queues/job-handler';

/** Marks the probe consumed; the receipt makes redeliveries no-ops, so the count stays 1. */
@HandlesJob('platform', 'platform.probe')
export class ConsumeProbeJob implements JobHandler<'platform', 'platform.probe'> {
  constructor(private readonly consumer: EventConsumer) {}

  async handle(event: EventEnvelope<{ probeId: string }>): Promise<void> {
    await this.consumer.once('platform:platform.probe', event, async (tx) => {
      await tx.manager.query(
        `UPDATE probes SET consumed_at = now(), consumption_count = consumption_count + 1, updated_at = now(), version = version + 1
          WHERE tenant_id = $1 AND id = $2`,
        [event.tenantId, event.payload.probeId],
      );
    });
  }
}
