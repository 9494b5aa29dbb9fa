import type { InvalidatedCache, InvalidationBus, TenantTransaction } from '@switchboard/platform';
import { redactionEnabled, Redactor, type RedactionSettings } from '../gateway/redaction';
import { AI_CONFIG_TOPIC } from '../gateway/tenant-ai-state';
import { settingsFromRows, settingsStatement } from '../repositories/ai-settings.sql';
import type { EmbedOptions, EmbeddingsProvider } from './embeddings.port';

const MAX_CACHED_TENANTS = 10_000;

/**
 * An embeddings provider that sends out only what the tenant's AI settings let leave: with
 * redaction on, e-mail addresses, phone numbers and card numbers become placeholders before the
 * text goes to the endpoint (the vector of a placeholder is as good for search as the value's).
 * The local embedder is never wrapped: nothing leaves the process. A call must say whose text it
 * is (`tenantId`, or null for text that belongs to no tenant) so no caller can forget.
 */
export class RedactingEmbeddingsProvider implements EmbeddingsProvider {
  private readonly settings: InvalidatedCache<RedactionSettings>;

  constructor(
    private readonly inner: EmbeddingsProvider,
    private readonly tx: TenantTransaction,
    bus: InvalidationBus,
    ttlMs: number,
  ) {
    // Dropped on the same invalidations as the gateway's settings cache.
    this.settings = bus.cache(AI_CONFIG_TOPIC, { name: 'ai.embeddings-redaction', ttlMs, maxEntries: MAX_CACHED_TENANTS, settleBeforeHit: true });
  }

  get id(): string {
    return this.inner.id;
  }

  get model(): string {
    return this.inner.model;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  get searchDimensions(): number | undefined {
    return this.inner.searchDimensions;
  }

  async embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]> {
    if (options?.tenantId === undefined) throw new Error('embed() must be told whose text it is (tenantId, or null for no tenant) so redaction can apply');
    if (options.tenantId === null) return this.inner.embed(texts, options);
    const settings = await this.redactionFor(options.tenantId);
    if (!redactionEnabled(settings)) return this.inner.embed(texts, options);
    const redactor = new Redactor(settings);
    return this.inner.embed(texts.map((text) => redactor.redact(text)), options);
  }

  private redactionFor(tenantId: string): Promise<RedactionSettings> {
    return this.settings.get(tenantId, async () => {
      const [rows] = await this.tx.runBatch({ tenantId, actorId: null, correlationId: null }, [settingsStatement(tenantId)]);
      return { value: settingsFromRows(rows!).redaction, cacheUnder: tenantId };
    });
  }
}
