import { Injectable, Logger } from '@nestjs/common';
import { InvalidationBus, TenantTransaction, type CommandContext, type InvalidatedCache } from '@switchboard/platform';
import type { ChatMessage } from '../chat/chat.port';
import { compileTemplate, renderCompiled, type CompiledTemplate } from './compiled-template';
import { TEMPLATE_FEATURES, type TemplateFeature, type TemplateVariables } from './feature-templates';
import { loadLatestVersions, shippedDefault, type TemplateRef, type TemplateVersion } from './template-store';

export interface RenderedPrompt {
  messages: ChatMessage[];
  template: TemplateRef;
}

interface Effective {
  ref: TemplateRef;
  compiled: CompiledTemplate;
}

type TenantTemplates = Map<TemplateFeature, Effective>;

const DEFAULTS = new Map<TemplateFeature, Effective>(
  TEMPLATE_FEATURES.map((f) => {
    const v = shippedDefault(f);
    return [f, { ref: { feature: f, version: v.version, source: v.source }, compiled: compileTemplate(f, v.messages) }];
  }),
);
/** A backstop only: a change reaches every process through the invalidation bus. */
const MAX_AGE_MS = 60_000;
const MAX_TENANTS = 5_000;
/** Invalidation topic; its keys are tenant ids. */
const TOPIC = 'ai.templates';

/**
 * Renders the effective template of a feature for a tenant. The tenant's compiled templates are
 * cached per process on the invalidation bus (ADR 0013): every template change publishes after
 * its commit and before it answers, so it applies to the next render on every api process. While
 * a process is not subscribed (Redis down) the templates are read from the database on every
 * render: slower, never stale.
 */
@Injectable()
export class PromptTemplates {
  private readonly logger = new Logger('PromptTemplates');
  private readonly cache: InvalidatedCache<TenantTemplates>;

  constructor(
    private readonly tx: TenantTransaction,
    private readonly bus: InvalidationBus,
  ) {
    this.cache = bus.cache(TOPIC, { name: 'ai.templates', ttlMs: MAX_AGE_MS, maxEntries: MAX_TENANTS });
  }

  async render<F extends TemplateFeature>(ctx: CommandContext, feature: F, variables: TemplateVariables[F]): Promise<RenderedPrompt> {
    const effective = await this.effective(ctx, feature);
    return { messages: renderCompiled(effective.compiled, variables as unknown as Record<string, unknown>), template: effective.ref };
  }

  async effective(ctx: CommandContext, feature: TemplateFeature): Promise<Effective> {
    const templates = await this.cache.get(ctx.tenantId, async () => ({ value: await this.load(ctx), cacheUnder: ctx.tenantId }));
    return templates.get(feature) ?? DEFAULTS.get(feature)!;
  }

  /** Called after a template change commits: every process renders the new version next. */
  async changed(tenantId: string): Promise<void> {
    await this.bus.publish(TOPIC, tenantId);
  }

  private async load(ctx: CommandContext): Promise<TenantTemplates> {
    const latest = await this.tx.run(ctx, (tx) => loadLatestVersions(tx.manager, ctx.tenantId));
    const templates: TenantTemplates = new Map();
    for (const [feature, version] of latest) templates.set(feature, this.compileStored(ctx.tenantId, version));
    return templates;
  }

  private compileStored(tenantId: string, version: TemplateVersion): Effective {
    const ref = { feature: version.feature, version: version.version, source: version.source };
    if (version.source === 'default') return { ref, compiled: DEFAULTS.get(version.feature)!.compiled };
    // Saved templates were checked when saved; this guards against a contract changed since.
    try {
      return { ref, compiled: compileTemplate(version.feature, version.messages) };
    } catch (error) {
      this.logger.error({ err: error, tenantId, feature: version.feature, version: version.version }, 'A saved prompt template no longer compiles; using the default');
      return DEFAULTS.get(version.feature)!;
    }
  }
}
