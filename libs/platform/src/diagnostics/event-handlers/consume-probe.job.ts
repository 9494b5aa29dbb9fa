import type { TenantTx } from '../../database/tenant-transaction';
import { ProbeRequested, PlatformQueue } from '../../platform.context';
import { OnEvent, type DurableEventHandler } from '../../queues/job-handler';
import type { EnvelopeOf } from '../../registry/events';

/** Marks the probe consumed; the receipt makes redeliveries no-ops, so the count stays 1. */
@OnEvent(ProbeRequested, { queue: PlatformQueue, job: 'platform.probe' })
export class ConsumeProbeJob implements DurableEventHandler<typeof ProbeRequested> {
  async handle(event: EnvelopeOf<typeof ProbeRequested>, tx: TenantTx): Promise<void> {
    await tx.manager.query(
      `UPDATE probes SET consumed_at = now(), consumption_count = consumption_count + 1, updated_at = now(), version = version + 1
        WHERE tenant_id = $1 AND id = $2`,
      [event.tenantId, event.payload.probeId],
    );
  }
}
