import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { LeadFields } from '../../domain/leads';
import type { LeadView } from '../../repositories/leads.sql';

export interface CaptureLeadInput extends LeadFields {
  notes: string;
  serviceId?: string | null;
}

/** A lead as typed from a call or sent by a contact form: raw notes and whatever fields came with them. */
export class CaptureLeadCommand extends Command<LeadView> {
  constructor(
    readonly context: CommandContext,
    readonly input: CaptureLeadInput,
  ) {
    super();
  }
}
