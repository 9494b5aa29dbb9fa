import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, ProblemException, toPage, TenantTransaction, type Page } from '@switchboard/platform';
import type { TemplatedAiFeature } from '../../features/ai-feature';
import { AiFeatureRegistry } from '../../features/ai-feature-registry';
import { PromptTemplatesRepository } from '../../repositories/prompt-templates.repository';
import { DEFAULT_TEMPLATE_VERSION } from '../../templates/template-variables';
import { shippedDefault, type TemplateVersion } from '../../templates/template-versions';
import { ListTemplatesQuery, ListTemplateVersionsQuery, type EffectiveTemplateView } from './list-templates.query';

/** A feature's effective template from the tenant's latest versions: its own, else the shipped default. */
export function effectiveTemplate(latest: Map<string, TemplateVersion>, feature: TemplatedAiFeature): EffectiveTemplateView {
  return { ...(latest.get(feature.name) ?? shippedDefault(feature)), variables: Object.keys(feature.contract) };
}

@QueryHandler(ListTemplatesQuery)
export class ListTemplatesHandler implements IQueryHandler<ListTemplatesQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly features: AiFeatureRegistry,
    private readonly templates: PromptTemplatesRepository,
  ) {}

  async execute({ tenantId }: ListTemplatesQuery): Promise<EffectiveTemplateView[]> {
    const latest = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.templates.latest(tx));
    return this.features.templated.map((feature) => effectiveTemplate(latest, feature));
  }
}

@QueryHandler(ListTemplateVersionsQuery)
export class ListTemplateVersionsHandler implements IQueryHandler<ListTemplateVersionsQuery> {
  constructor(
    private readonly tx: TenantTransaction,
    private readonly templates: PromptTemplatesRepository,
  ) {}

  async execute({ tenantId, feature, limit, cursor }: ListTemplateVersionsQuery): Promise<Page<TemplateVersion>> {
    const before = cursor ? decodeCursor(cursor, 1)[0] : null;
    if (before !== null && !(Number.isInteger(before) && (before as number) >= 1 && (before as number) <= 2_147_483_647)) throw new ProblemException({ status: 400, type: 'invalid-cursor', title: 'Bad Request', detail: 'The cursor is not one this list issued; start again without it.', errors: [{ field: 'cursor', message: 'is invalid' }] });
    const stored = before !== null && (before as number) <= DEFAULT_TEMPLATE_VERSION ? [] : await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => this.templates.versions(tx, feature, limit + 1, before as number | null));
    // The shipped default is the oldest version of every history.
    const rows = stored.length <= limit && (before === null || (before as number) > DEFAULT_TEMPLATE_VERSION) ? [...stored, shippedDefault(feature)] : stored;
    return toPage(rows, limit, (last) => [last.version]);
  }
}
