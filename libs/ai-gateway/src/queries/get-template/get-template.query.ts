import { Query } from '@nestjs/cqrs';
import type { TemplatedAiFeature } from '../../features/ai-feature';
import type { EffectiveTemplateView } from '../list-templates/list-templates.query';

/** One feature's effective template: the tenant's latest version, or the shipped default. */
export class GetTemplateQuery extends Query<EffectiveTemplateView> {
  constructor(
    readonly tenantId: string,
    readonly feature: TemplatedAiFeature,
  ) {
    super();
  }
}
