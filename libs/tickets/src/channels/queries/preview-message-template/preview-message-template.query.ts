import { Query } from '@nestjs/cqrs';

export interface TemplatePreview {
  key: string;
  /** The locale whose text was used, after the fallback chain. */
  locale: string;
  source: 'draft' | 'tenant' | 'shipped';
  subject: string | null;
  body: string;
  /** The values the placeholders were given (the key's samples, overridden by `data`). */
  data: Record<string, string>;
}

/**
 * Renders a template: a draft when given (validated like a save), else the tenant's for the
 * locale's fallback chain, else the shipped default; placeholders filled with samples or `data`.
 */
export class PreviewMessageTemplateQuery extends Query<TemplatePreview> {
  constructor(
    readonly tenantId: string,
    readonly key: string,
    readonly locale: string | null,
    readonly data: Record<string, string>,
    readonly draft: { subject: string | null; body: string } | null,
  ) {
    super();
  }
}
