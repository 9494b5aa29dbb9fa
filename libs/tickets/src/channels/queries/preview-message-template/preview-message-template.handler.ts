import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProblemException, TenantTransaction } from '@switchboard/platform';
import { GetTenantQuery } from '@switchboard/tenancy';
import { canonicalLocale, localeChain, placeholderProblems, render, shippedTemplate, templateKey } from '../../domain/message-templates';
import { unknownTemplateKey } from '../../commands/save-message-template/save-message-template.handler';
import { MessageTemplatesRepository } from '../../repositories/message-templates.repository';
import { PreviewMessageTemplateQuery, type TemplatePreview } from './preview-message-template.query';

@QueryHandler(PreviewMessageTemplateQuery)
export class PreviewMessageTemplateHandler implements IQueryHandler<PreviewMessageTemplateQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly queries: QueryBus,
    private readonly templates: MessageTemplatesRepository,
  ) {}

  async execute({ tenantId, key, locale, data, draft }: PreviewMessageTemplateQuery): Promise<TemplatePreview> {
    const definition = templateKey(key);
    if (!definition) throw unknownTemplateKey(key);
    const unknown = Object.keys(data).filter((k) => !definition.placeholders.includes(k));
    if (unknown.length) throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'data names placeholders this template does not have.', errors: unknown.map((k) => ({ field: `data.${k}`, message: 'is not a placeholder of this template' })) });
    const values = { ...definition.sample, ...data };
    if (draft) {
      const problems = [...placeholderProblems(draft.body, definition.placeholders), ...(draft.subject ? placeholderProblems(draft.subject, definition.placeholders) : [])];
      if (problems.length) throw new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: 'The draft is not valid for its key.', errors: problems.map((message) => ({ field: 'body', message })) });
      return { key, locale: (locale && canonicalLocale(locale)) ?? 'en', source: 'draft', subject: draft.subject !== null ? render(draft.subject, values) : null, body: render(draft.body, values), data: values };
    }
    const tenant = await this.queries.execute(new GetTenantQuery(tenantId));
    const chain = localeChain(locale, tenant.locale);
    const own = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.templates.firstOf(tx, key, chain));
    const template = own ?? shippedTemplate(key, chain)!;
    return { key, locale: template.locale, source: own ? 'tenant' : 'shipped', subject: template.subject !== null ? render(template.subject, values) : null, body: render(template.body, values), data: values };
  }
}
