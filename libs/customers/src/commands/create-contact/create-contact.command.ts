import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { IdentityInput } from '../../domain/identities';
import type { ContactView } from '../../repositories/contacts.sql';

export interface ContactFields extends IdentityInput {
  name?: string;
  organizationId?: string | null;
  locale?: string | null;
  timezone?: string | null;
  notes?: string | null;
}

export class CreateContactCommand extends Command<ContactView> {
  constructor(
    readonly context: CommandContext,
    readonly fields: ContactFields & { name: string },
  ) {
    super();
  }
}
