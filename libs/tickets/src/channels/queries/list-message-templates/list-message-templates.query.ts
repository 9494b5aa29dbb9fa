import { Query } from '@nestjs/cqrs';
import type { TemplateKey } from '../../domain/message-templates';
import type { MessageTemplateView } from '../../repositories/message-templates.repository';

export interface MessageTemplateCatalog {
  keys: Omit<TemplateKey, 'sample'>[];
  uiStringKeys: readonly string[];
  data: MessageTemplateView[];
}

/** The template keys (with their placeholders), the UI string keys, and the tenant's own templates. */
export class ListMessageTemplatesQuery extends Query<MessageTemplateCatalog> {
  constructor(readonly tenantId: string) {
    super();
  }
}
