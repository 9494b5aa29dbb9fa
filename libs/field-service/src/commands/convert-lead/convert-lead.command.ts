import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { LeadFields } from '../../domain/leads';
import type { LeadView } from '../../repositories/leads.sql';

/** The fields the dispatcher confirmed (typed, suggested or corrected); at least an email or a phone. */
export interface ConvertLeadInput extends LeadFields {
  /** The address's label when it is new; "Home" unless given. */
  addressLabel?: string | null;
  serviceId?: string | null;
  /** Whether to create a job; by default when a service is given. A job needs an address. */
  createJob?: boolean;
  /** The job's title; the service's name unless given. */
  jobTitle?: string | null;
}

export class ConvertLeadCommand extends Command<LeadView> {
  constructor(
    readonly context: CommandContext,
    readonly leadId: string,
    readonly input: ConvertLeadInput,
  ) {
    super();
  }
}
