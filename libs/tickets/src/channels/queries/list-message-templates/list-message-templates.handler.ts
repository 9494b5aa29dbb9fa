import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { TEMPLATE_KEYS, UI_STRING_KEYS } from '../../domain/message-templates';
import { MessageTemplatesRepository } from '../../repositories/message-templates.repository';
import { ListMessageTemplatesQuery, type MessageTemplateCatalog } from './list-message-templates.query';

@QueryHandler(ListMessageTemplatesQuery)
export class ListMessageTemplatesHandler implements IQueryHandler<ListMessageTemplatesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly templates: MessageTemplatesRepository,
  ) {}

  async execute({ tenantId }: ListMessageTemplatesQuery): Promise<MessageTemplateCatalog> {
    const data = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.templates.list(tx));
    return { keys: TEMPLATE_KEYS.map(({ sample: _s, ...k }) => k), uiStringKeys: UI_STRING_KEYS, data };
  }
}
