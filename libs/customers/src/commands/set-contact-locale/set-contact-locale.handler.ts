import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProblemException, TenantTransaction } from '@switchboard/platform';
import { ContactUpdated } from '../../customers.context';
import { ContactsRepository } from '../../repositories/contacts.repository';
import type { ContactView } from '../../repositories/contacts.sql';
import { SetContactLocaleCommand } from './set-contact-locale.command';

@CommandHandler(SetContactLocaleCommand)
export class SetContactLocaleHandler implements ICommandHandler<SetContactLocaleCommand> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly contacts: ContactsRepository,
  ) {}

  async execute({ context, contactId, locale, source }: SetContactLocaleCommand): Promise<ContactView> {
    let canonical: string | undefined;
    try {
      canonical = Intl.getCanonicalLocales(locale)[0];
    } catch {
      canonical = undefined;
    }
    if (!canonical) throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `"${locale.slice(0, 40)}" is not a language tag.`, errors: [{ field: 'locale', message: 'is not a language tag' }] });
    return this.tx.run(context, async (tx) => {
      const before = await this.contacts.findForUpdate(tx, contactId);
      if (!before) throw notFound('Contact', contactId);
      if (before.locale) return before;
      await this.contacts.update(tx, contactId, { name: before.name, organizationId: before.organizationId, locale: canonical, timezone: before.timezone, notes: before.notes });
      const after = (await this.contacts.find(tx, contactId))!;
      const strip = ({ createdAt: _c, updatedAt: _u, version: _v, ...rest }: ContactView) => rest;
      await tx.audit({ action: 'contact.locale_detected', entityType: 'contact', entityId: contactId, before: { locale: null }, after: { locale: canonical, source } });
      await tx.emit(ContactUpdated.of(contactId, { version: after.version, contact: strip(after) }));
      return after;
    });
  }
}
