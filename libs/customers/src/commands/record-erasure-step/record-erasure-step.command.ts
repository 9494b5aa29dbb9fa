import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ErasureCounts, ErasureStep } from '../../repositories/contact-erasures.repository';

/** A context finished its part of an erasure; the last one completes it. Idempotent. */
export class RecordErasureStepCommand extends Command<void> {
  constructor(
    readonly context: CommandContext,
    readonly erasureId: string,
    readonly step: Exclude<ErasureStep, 'customers' | 'platform'>,
    readonly counts: ErasureCounts,
  ) {
    super();
  }
}
