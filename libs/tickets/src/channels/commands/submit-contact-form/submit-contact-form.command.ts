import { Command } from '@nestjs/cqrs';

export interface ContactFormInput {
  formToken: string;
  name: string;
  email: string;
  message: string;
  subject?: string;
  phone?: string;
  company?: string;
  /** The tenant's extra fields, by key. */
  fields?: Record<string, string>;
  /** The honeypot: people never see it, so never fill it. */
  website?: string;
  /** The visitor's language, for the confirmation mail. */
  locale?: string;
}

export interface ContactFormReceipt {
  received: true;
  /** The ticket's number, to quote; null when the submission was taken for spam. */
  ticketNumber: number | null;
}

/** A public contact-form submission for the tenant with this slug; no credential. */
export class SubmitContactFormCommand extends Command<ContactFormReceipt> {
  constructor(
    readonly tenantSlug: string,
    readonly input: ContactFormInput,
    readonly ip: string | null,
    readonly correlationId: string | null = null,
  ) {
    super();
  }
}
