import { Query } from '@nestjs/cqrs';

export interface UiStrings {
  /** The locales looked at, in order (the request's, its language, the tenant's default). */
  locales: string[];
  strings: Record<string, string>;
}

/** The help center's and widget's UI strings for a tenant (by slug) and locale: the tenant's overrides over the shipped ones. */
export class GetUiStringsQuery extends Query<UiStrings> {
  constructor(
    readonly tenantSlug: string,
    readonly locale: string | null,
  ) {
    super();
  }
}
