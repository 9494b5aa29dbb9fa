import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { decodeCursor, ProblemException, toPage, TenantTransaction, type Page } from '@switchboard/platform';
import { CONTRACTS, DEFAULT_TEMPLATE_VERSION, TEMPLATE_FEATURES, type TemplateFeature } from '../../templates/feature-templates';
import { loadLatestVersions, loadVersions, shippedDefault, type TemplateVersion } from '../../templates/template-store';
import { ListTemplatesQuery, ListTemplateVersionsQuery, type EffectiveTemplateView } from './list-templates.query';

/** A feature's effective template from the tenant's latest versions: its own, else the shipped default. */
export function effectiveTemplate(latest: Map<TemplateFeature, TemplateVersion>, feature: TemplateFeature): EffectiveTemplateView {
  return { ...(latest.get(feature) ?? shippedDefault(feature)), variables: Object.keys(CONTRACTS[feature]) };
}

@QueryHandler(ListTemplatesQuery)
export class ListTemplatesHandler implements IQueryHandler<ListTemplatesQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ tenantId }: ListTemplatesQuery): Promise<EffectiveTemplateView[]> {
    const latest = await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => loadLatestVersions(tx.manager, tenantId));
    return TEMPLATE_FEATURES.map((feature) => effectiveTemplate(latest, feature));
  }
}

@QueryHandler(ListTemplateVersionsQuery)
export class ListTemplateVersionsHandler implements IQueryHandler<ListTemplateVersionsQuery> {
  constructor(private readonly tx: TenantTransaction) {}

  async execute({ tenantId, feature, limit, cursor }: ListTemplateVersionsQuery): Promise<Page<TemplateVersion>> {
    const before = cursor ? decodeCursor(cursor, 1)[0] : null;
    if (before !== null && !(Number.isInteger(before) && (before as number) >= 1 && (before as number) <= 2_147_483_647)) throw new ProblemException({ status: 400, type: 'invalid-cursor', title: 'Bad Request', detail: 'The cursor is not one this list issued; start again without it.', errors: [{ field: 'cursor', message: 'is invalid' }] });
    const stored = before !== null && (before as number) <= DEFAULT_TEMPLATE_VERSION ? [] : await this.tx.run({ tenantId, actorId: null, correlationId: null }, (tx) => loadVersions(tx.manager, tenantId, feature, limit + 1, before as number | null));
    // The shipped default is the oldest version of every history.
    const rows = stored.length <= limit && (before === null || (before as number) > DEFAULT_TEMPLATE_VERSION) ? [...stored, shippedDefault(feature)] : stored;
    return toPage(rows, limit, (last) => [last.version]);
  }
}
