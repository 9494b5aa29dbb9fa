import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { FindPublicTenantQuery, type PublicTenant } from '@switchboard/tenancy';
import { FormSigner } from '../../adapters/form-signer.service';
import { signFormToken } from '../../domain/form-token';
import { ContactFormRepository } from '../../repositories/contact-form.repository';
import { GetContactFormQuery, type PublicContactForm } from './get-contact-form.query';

const BUILT_IN = [
  { key: 'name', label: 'Name', required: true, maxLength: 200, builtIn: true },
  { key: 'email', label: 'Email', required: true, maxLength: 254, builtIn: true },
  { key: 'subject', label: 'Subject', required: false, maxLength: 250, builtIn: true },
  { key: 'message', label: 'Message', required: true, maxLength: 20_000, builtIn: true },
  { key: 'phone', label: 'Phone', required: false, maxLength: 50, builtIn: true },
  { key: 'company', label: 'Company', required: false, maxLength: 200, builtIn: true },
];

@QueryHandler(GetContactFormQuery)
export class GetContactFormHandler implements IQueryHandler<GetContactFormQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly forms: ContactFormRepository,
    private readonly signer: FormSigner,
  ) {}

  async execute({ tenantSlug }: GetContactFormQuery): Promise<PublicContactForm> {
    const tenant: PublicTenant | null = await this.queries.execute(new FindPublicTenantQuery(tenantSlug));
    if (!tenant) throw notFound('Contact form', `"${tenantSlug.slice(0, 80)}"`);
    const key = await this.signer.ready();
    const settings = await this.tx.run({ tenantId: tenant.id, actorId: null, actorType: 'system', correlationId: null }, (tx) => this.forms.settings(tx));
    if (!settings.enabled) throw notFound('Contact form', `"${tenantSlug.slice(0, 80)}"`);
    return {
      tenant: { name: tenant.name, locale: tenant.locale },
      fields: [...BUILT_IN, ...settings.fields.map((f) => ({ ...f, builtIn: false }))],
      formToken: signFormToken(key, tenant.id, Date.now()),
      minFillSeconds: settings.minFillSeconds,
      honeypot: 'website',
    };
  }
}
