import { Query } from '@nestjs/cqrs';
import type { ContactFormField } from '../../repositories/contact-form.repository';

export interface PublicContactForm {
  tenant: { name: string; locale: string };
  /** Built-in fields first (name, email, message required; subject, phone, company optional), then the tenant's. */
  fields: (ContactFormField & { builtIn: boolean })[];
  /** Send it back with the submission; valid from `minFillSeconds` after now until it expires. */
  formToken: string;
  minFillSeconds: number;
  /** The honeypot field's name: render it hidden, and leave it empty. */
  honeypot: 'website';
}

/** The public contact form of the tenant with this slug, with a fresh signed token. */
export class GetContactFormQuery extends Query<PublicContactForm> {
  constructor(readonly tenantSlug: string) {
    super();
  }
}
