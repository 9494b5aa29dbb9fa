import { Command } from '@nestjs/cqrs';
import type { InboundView } from '../../repositories/channels.repository';

/** The worker's step: parse, classify and thread one stored inbound message (once). */
export class ProcessInboundCommand extends Command<InboundView | undefined> {
  constructor(
    readonly tenantId: string,
    readonly inboundId: string,
  ) {
    super();
  }
}
