import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { ContactFormRepository, type ContactFormSettingsView } from '../../repositories/contact-form.repository';
import { GetContactFormSettingsQuery } from './get-contact-form-settings.query';

@QueryHandler(GetContactFormSettingsQuery)
export class GetContactFormSettingsHandler implements IQueryHandler<GetContactFormSettingsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly forms: ContactFormRepository,
  ) {}

  execute({ tenantId }: GetContactFormSettingsQuery): Promise<ContactFormSettingsView> {
    return this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.forms.settings(tx));
  }
}
