import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PlatformRecordsRedactor, TenantTransaction } from '@switchboard/platform';
import { ContactErasuresRepository, ERASURE_STEPS, type ErasureCounts } from '../../repositories/contact-erasures.repository';
import { RecordErasureStepCommand } from './record-erasure-step.command';

/**
 * Records a context's part. When every context has reported, the platform's records (outbox
 * payloads, audit entries, stored Idempotency-Key responses) are redacted in batches, and the
 * erasure completes: its pattern is dropped and one audit entry lists what was erased, by kind
 * and count. Each step is its own transaction and all are idempotent, so a crash anywhere is
 * resumed by the next delivery of the reporting context's event.
 */
@CommandHandler(RecordErasureStepCommand)
export class RecordErasureStepHandler implements ICommandHandler<RecordErasureStepCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly erasures: ContactErasuresRepository,
    private readonly platformRecords: PlatformRecordsRedactor,
  ) {}

  async execute({ context, erasureId, step, counts }: RecordErasureStepCommand): Promise<void> {
    const pending = await this.tx.run(context, async (tx) => {
      const erasure = await this.erasures.find(tx, erasureId, true);
      if (!erasure || erasure.status === 'completed') return undefined;
      await this.erasures.recordStep(tx, erasureId, step, counts);
      const done = new Set([...Object.keys(erasure.steps), step]);
      const contextsDone = ERASURE_STEPS.filter((s) => s !== 'platform').every((s) => done.has(s));
      return contextsDone ? erasure : undefined;
    });
    if (!pending) return;
    const platformCounts = pending.pattern ? await this.platformRecords.redact(context, pending.pattern) : {};
    await this.tx.run(context, async (tx) => {
      const erasure = await this.erasures.find(tx, erasureId, true);
      if (!erasure || erasure.status === 'completed') return;
      await this.erasures.recordStep(tx, erasureId, 'platform', platformCounts);
      await this.erasures.complete(tx, erasureId);
      const totals: Record<string, ErasureCounts> = Object.fromEntries(Object.entries(erasure.steps).map(([name, s]) => [name, s.counts]));
      totals.platform = platformCounts;
      await tx.audit({ action: 'contact.erased', entityType: 'contact', entityId: erasure.contactId, after: { erasureId, counts: totals } });
    });
  }
}
