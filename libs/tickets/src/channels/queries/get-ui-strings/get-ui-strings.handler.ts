import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { FindPublicTenantQuery, type PublicTenant } from '@switchboard/tenancy';
import { isUiStringKey, localeChain, shippedUiStrings } from '../../domain/message-templates';
import { MessageTemplatesRepository } from '../../repositories/message-templates.repository';
import { GetUiStringsQuery, type UiStrings } from './get-ui-strings.query';

@QueryHandler(GetUiStringsQuery)
export class GetUiStringsHandler implements IQueryHandler<GetUiStringsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly templates: MessageTemplatesRepository,
  ) {}

  async execute({ tenantSlug, locale }: GetUiStringsQuery): Promise<UiStrings> {
    const tenant: PublicTenant | null = await this.queries.execute(new FindPublicTenantQuery(tenantSlug));
    if (!tenant) throw notFound('Help center', `"${tenantSlug.slice(0, 80)}"`);
    const chain = localeChain(locale, tenant.locale);
    const strings: Record<string, string> = shippedUiStrings(chain);
    const own = await this.tx.run({ tenantId: tenant.id, actorId: null, actorType: 'system', correlationId: null }, (tx) => this.templates.list(tx, 'ui.'));
    // The chain (pt-BR → pt → the tenant's default) is searched in the tenant's strings first; shipped strings fill the rest.
    for (const key of Object.keys(strings).filter(isUiStringKey)) {
      const hit = chain.map((l) => own.find((t) => t.key === key && t.locale === l)).find(Boolean);
      if (hit) strings[key] = hit.body;
    }
    return { locales: chain, strings };
  }
}
