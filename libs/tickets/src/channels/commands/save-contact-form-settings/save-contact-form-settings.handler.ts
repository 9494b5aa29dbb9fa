import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { ContactFormRepository, type ContactFormSettingsView } from '../../repositories/contact-form.repository';
import { SaveContactFormSettingsCommand } from './save-contact-form-settings.command';

const RESERVED = ['name', 'email', 'subject', 'message', 'phone', 'company', 'website', 'formtoken', 'fields', 'locale'];

@CommandHandler(SaveContactFormSettingsCommand)
export class SaveContactFormSettingsHandler implements ICommandHandler<SaveContactFormSettingsCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly forms: ContactFormRepository,
  ) {}

  async execute({ context, settings, expectedVersion }: SaveContactFormSettingsCommand): Promise<ContactFormSettingsView> {
    const keys = settings.fields.map((f) => f.key);
    const clash = keys.find((k, i) => keys.indexOf(k) !== i || RESERVED.includes(k.toLowerCase()));
    if (clash) {
      throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `The field key "${clash}" is used twice or is a built-in field.`, errors: [{ field: 'fields', message: `"${clash}" is taken` }] });
    }
    return this.tx.run(context, async (tx) => {
      const before = await this.forms.settings(tx, true);
      if (expectedVersion !== null && before.version !== expectedVersion) {
        throw new ProblemException({ status: 412, type: 'precondition-failed', title: 'Precondition Failed', detail: `The contact form settings are at version ${before.version}; read them again and retry.` });
      }
      const after = await this.forms.saveSettings(tx, settings);
      await tx.audit({ action: 'contact_form.settings_updated', entityType: 'contact_form', entityId: context.tenantId, before: { ...before }, after: { ...after } });
      return after;
    });
  }
}
