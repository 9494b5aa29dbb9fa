import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { notFound, TenantTransaction } from '@switchboard/platform';
import { FindPublicTenantQuery, type PublicTenant } from '@switchboard/tenancy';
import { localeChain, resolveUiStrings } from '../../domain/message-templates';
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
    const own = await this.tx.run({ tenantId: tenant.id, actorId: null, actorType: 'system', correlationId: null }, (tx) => this.templates.list(tx, 'ui.'));
    return { locales: chain, strings: resolveUiStrings(chain, own) };
  }
}
