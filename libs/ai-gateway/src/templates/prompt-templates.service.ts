import { Injectable, Logger } from '@nestjs/common';
import { InvalidationBus, TenantTransaction, type CommandContext, type InvalidatedCache } from '@switchboard/platform';
import type { ChatMessage } from '../chat/chat.port';
import type { TemplatedAiFeature } from '../features/ai-feature';
import { AiFeatureRegistry } from '../features/ai-feature-registry';
import { PromptTemplatesRepository } from '../repositories/prompt-templates.repository';
import { compileTemplate, renderCompiled, type CompiledTemplate } from './compiled-template';
import { DEFAULT_TEMPLATE_VERSION } from './template-variables';
import type { TemplateRef, TemplateVersion } from './template-versions';

export interface RenderedPrompt {
  messages: ChatMessage[];
  template: TemplateRef;
}

interface Effective {
  ref: TemplateRef;
  compiled: CompiledTemplate;
}

/** A tenant's own effective templates, by feature name; features it never changed are absent. */
type TenantTemplates = Map<string, Effective>;

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
    private readonly features: AiFeatureRegistry,
    private readonly repository: PromptTemplatesRepository,
  ) {
    this.cache = bus.cache(TOPIC, { name: 'ai.templates', ttlMs: MAX_AGE_MS, maxEntries: MAX_TENANTS, settleBeforeHit: true });
  }

  /** The feature's messages for these variables, which its definition types: `render(ctx, summaryFeature, { subject, conversation })`. */
  async render<V extends object>(ctx: CommandContext, feature: TemplatedAiFeature<V>, variables: NoInfer<V>): Promise<RenderedPrompt> {
    const effective = await this.effective(ctx, feature);
    return { messages: renderCompiled(effective.compiled, variables as Record<string, unknown>), template: effective.ref };
  }

  async effective(ctx: CommandContext, feature: TemplatedAiFeature): Promise<Effective> {
    this.features.resolve(feature);
    const templates = await this.cache.get(ctx.tenantId, async () => ({ value: await this.load(ctx), cacheUnder: ctx.tenantId }));
    return templates.get(feature.name) ?? this.shipped(feature);
  }

  /** Called after a template change commits: every process renders the new version next. */
  async changed(tenantId: string): Promise<void> {
    await this.bus.publish(TOPIC, tenantId);
  }

  private shipped(feature: TemplatedAiFeature): Effective {
    return { ref: { feature: feature.name, version: DEFAULT_TEMPLATE_VERSION, source: 'default' }, compiled: this.features.compiledDefault(feature) };
  }

  private async load(ctx: CommandContext): Promise<TenantTemplates> {
    const latest = await this.tx.run(ctx, (tx) => this.repository.latest(tx));
    const templates: TenantTemplates = new Map();
    for (const [name, version] of latest) templates.set(name, this.compileStored(ctx.tenantId, this.features.findTemplated(name)!, version));
    return templates;
  }

  private compileStored(tenantId: string, feature: TemplatedAiFeature, version: TemplateVersion): Effective {
    const ref = { feature: version.feature, version: version.version, source: version.source };
    if (version.source === 'default') return { ref, compiled: this.features.compiledDefault(feature) };
    // Saved templates were checked when saved; this guards against a contract changed since.
    try {
      return { ref, compiled: compileTemplate(feature, version.messages) };
    } catch (error) {
      this.logger.error({ err: error, tenantId, feature: version.feature, version: version.version }, 'A saved prompt template no longer compiles; using the default');
      return this.shipped(feature);
    }
  }
}
