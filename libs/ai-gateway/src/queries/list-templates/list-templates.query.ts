import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { TemplatedAiFeature } from '../../features/ai-feature';
import type { TemplateVersion } from '../../templates/template-versions';

export interface EffectiveTemplateView extends TemplateVersion {
  /** The variables this feature's templates may use. */
  variables: string[];
}

/** The effective template of every registered feature that has one. */
export class ListTemplatesQuery extends Query<EffectiveTemplateView[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}

/** A feature's versions, newest first; the shipped default (version 1) is the last. */
export class ListTemplateVersionsQuery extends Query<Page<TemplateVersion>> {
  constructor(
    readonly tenantId: string,
    readonly feature: TemplatedAiFeature,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
