import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, REDIS, TenantTransaction, type AppConfig, type CommandContext } from '@switchboard/platform';
import type { Redis } from 'ioredis';
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

interface CacheEntry {
  stamp: string | null;
  loadedAt: number;
  templates: Map<TemplateFeature, Effective>;
}

const DEFAULTS = new Map<TemplateFeature, Effective>(
  TEMPLATE_FEATURES.map((f) => {
    const v = shippedDefault(f);
    return [f, { ref: { feature: f, version: v.version, source: v.source }, compiled: compileTemplate(f, v.messages) }];
  }),
);
/** A backstop only: a change is seen at once through the stamp, even by other api processes. */
const MAX_AGE_MS = 60_000;
const MAX_TENANTS = 5_000;

/**
 * Renders the effective template of a feature for a tenant. The tenant's compiled templates are
 * cached per process and checked on every render against a per-tenant stamp in Redis (one GET,
 * well under a millisecond), which every template change bumps after its commit; so a change
 * made through any api process applies to the next render everywhere. Without Redis the
 * templates are read from the database on every render: slower, never stale.
 */
@Injectable()
export class PromptTemplates {
  private readonly logger = new Logger('PromptTemplates');
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly tx: TenantTransaction,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async render<F extends TemplateFeature>(ctx: CommandContext, feature: F, variables: TemplateVariables[F]): Promise<RenderedPrompt> {
    const effective = await this.effective(ctx, feature);
    return { messages: renderCompiled(effective.compiled, variables as unknown as Record<string, unknown>), template: effective.ref };
  }

  async effective(ctx: CommandContext, feature: TemplateFeature): Promise<Effective> {
    const entry = await this.entry(ctx);
    return entry.templates.get(feature) ?? DEFAULTS.get(feature)!;
  }

  /** Called after a template change commits: this process forgets at once, the others at their next render. */
  async changed(tenantId: string): Promise<void> {
    this.cache.delete(tenantId);
    await this.redis.incr(this.key(tenantId)).catch((error: unknown) => this.logger.warn({ err: error, tenantId }, 'Could not bump the template stamp; other processes see the change within a minute'));
  }

  private key(tenantId: string): string {
    return `${this.config.QUEUE_PREFIX}:ai-templates:${tenantId}`;
  }

  private async entry(ctx: CommandContext): Promise<CacheEntry> {
    let stamp: string | null;
    try {
      stamp = await this.redis.get(this.key(ctx.tenantId));
    } catch {
      return this.load(ctx, null);
    }
    const cached = this.cache.get(ctx.tenantId);
    if (cached && cached.stamp === stamp && Date.now() - cached.loadedAt < MAX_AGE_MS) return cached;
    // The stamp is read before the rows, so a change committed in between is seen next time.
    const entry = await this.load(ctx, stamp);
    this.cache.delete(ctx.tenantId);
    this.cache.set(ctx.tenantId, entry);
    if (this.cache.size > MAX_TENANTS) this.cache.delete(this.cache.keys().next().value!);
    return entry;
  }

  private async load(ctx: CommandContext, stamp: string | null): Promise<CacheEntry> {
    const latest = await this.tx.run(ctx, (tx) => loadLatestVersions(tx.manager, ctx.tenantId));
    const templates = new Map<TemplateFeature, Effective>();
    for (const [feature, version] of latest) templates.set(feature, this.compileStored(ctx.tenantId, version));
    return { stamp, loadedAt: Date.now(), templates };
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
