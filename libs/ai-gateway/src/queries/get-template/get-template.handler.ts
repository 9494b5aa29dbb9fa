import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TenantTransaction } from '@switchboard/platform';
import { PromptTemplatesRepository } from '../../repositories/prompt-templates.repository';
import { effectiveTemplate } from '../list-templates/list-templates.handler';
import type { EffectiveTemplateView } from '../list-templates/list-templates.query';
import { GetTemplateQuery } from './get-template.query';

@QueryHandler(GetTemplateQuery)
export class GetTemplateHandler implements IQueryHandler<GetTemplateQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly templates: PromptTemplatesRepository,
  ) {}

  async execute({ tenantId, feature }: GetTemplateQuery): Promise<EffectiveTemplateView> {
    const latest = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.templates.latest(tx, feature));
    return effectiveTemplate(latest, feature);
  }
}
