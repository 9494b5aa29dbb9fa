import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '@switchboard/platform';
import type { ContactFormSettingsView } from '../../repositories/contact-form.repository';

export type ContactFormSettingsInput = Omit<ContactFormSettingsView, 'updatedAt' | 'version'>;

/** Replaces the tenant's contact form settings (If-Match on the version). */
export class SaveContactFormSettingsCommand extends Command<ContactFormSettingsView> {
  constructor(
    readonly context: CommandContext,
    readonly settings: ContactFormSettingsInput,
    /** null: any version (If-Match: *). */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
