import { Query } from '@nestjs/cqrs';
import type { ContactFormSettingsView } from '../../repositories/contact-form.repository';

/** The tenant's contact form settings (defaults until first saved). */
export class GetContactFormSettingsQuery extends Query<ContactFormSettingsView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
