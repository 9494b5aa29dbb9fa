import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { VisitorAccess } from '../../adapters/visitor-access.service';
import { localeChain, resolveUiStrings } from '../../domain/message-templates';
import { VISITOR_MESSAGE_MAX } from '../../domain/widget';
import { MessageTemplatesRepository } from '../../repositories/message-templates.repository';
import { GetWidgetConfigQuery, type PublicWidgetConfig } from './get-widget-config.query';

/** The strings the widget shows. */
const WIDGET_STRINGS = ['ui.widget.title', 'ui.widget.placeholder', 'ui.widget.send', 'ui.contact_form.name', 'ui.contact_form.email'];

@QueryHandler(GetWidgetConfigQuery)
export class GetWidgetConfigHandler implements IQueryHandler<GetWidgetConfigQuery> {
  constructor(
    private readonly access: VisitorAccess,
    private readonly queries: QueryBus,
    private readonly tx: TenantTransaction,
    private readonly templates: MessageTemplatesRepository,
  ) {}

  async execute({ publicKey, origin, locale }: GetWidgetConfigQuery): Promise<PublicWidgetConfig> {
    const channel = await this.access.channel(publicKey, origin);
    const tenant = await this.queries.execute(new GetTenantQuery(channel.tenantId));
    const chain = localeChain(locale, tenant.locale);
    const own = await this.tx.run({ tenantId: channel.tenantId, actorId: null, actorType: 'system', correlationId: null }, (tx) => this.templates.list(tx, 'ui.'));
    const all = resolveUiStrings(chain, own);
    const { greeting, color, collectContact } = channel.widget!;
    return { name: channel.name, greeting, color, collectContact, maxMessageLength: VISITOR_MESSAGE_MAX, strings: Object.fromEntries(WIDGET_STRINGS.map((k) => [k, all[k]!])) };
  }
}
