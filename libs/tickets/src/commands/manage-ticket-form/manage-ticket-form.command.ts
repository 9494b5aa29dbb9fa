import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { TicketFormView } from '../../repositories/custom-fields.sql';

export interface TicketFormInput {
  name: string;
  /** The fields the form shows, in order; `required` overrides a field's requiredAtCreate on this form. */
  fields: { fieldId: string; required?: boolean | null }[];
  /** The form new tickets get when they name none (one per tenant: setting it moves the flag). */
  isDefault?: boolean;
}

export type TicketFormChange =
  | { op: 'create'; input: TicketFormInput }
  | { op: 'update'; id: string; changes: Partial<TicketFormInput>; expectedVersion: number | null }
  | { op: 'delete'; id: string };

/** Creates, changes or (softly) deletes a ticket form (owners and admins). */
export class ManageTicketFormCommand extends Command<TicketFormView | null> {
  constructor(
    readonly context: CommandContext,
    readonly change: TicketFormChange,
  ) {
    super();
  }
}
