import { Query } from '@nestjs/cqrs';
import type { Page } from '@switchboard/platform';
import type { TemplateFeature } from '../../templates/feature-templates';
import type { TemplateVersion } from '../../templates/template-store';

export interface EffectiveTemplateView extends TemplateVersion {
  /** The variables this feature's templates may use. */
  variables: string[];
}

/** The effective template of every feature. */
export class ListTemplatesQuery extends Query<EffectiveTemplateView[]> {
  constructor(readonly tenantId: string) {
    super();
  }
}

/** A feature's versions, newest first; the shipped default (version 1) is the last. */
export class ListTemplateVersionsQuery extends Query<Page<TemplateVersion>> {
  constructor(
    readonly tenantId: string,
    readonly feature: TemplateFeature,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
