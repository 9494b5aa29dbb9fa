/** What a loader returns: the value, and whether (and under which invalidation key) it may be kept. */
export interface Loaded<V> {
  value: V;
  /**
   * The invalidation key the entry is dropped under (a tenant id, say), or null to not keep this
   * result at all (a "not found" or a denial: it is read again next time).
   */
  cacheUnder: string | null;
}

/** What the cache needs from its bus: whether invalidations are being received right now. */
export interface InvalidationFeed {
  /** True only while the subscriber is connected and subscribed; otherwise nothing is served from memory. */
  readonly live: boolean;
  /** Called before the first read: the feed may connect lazily. */
  start(): void;
}

export interface InvalidatedCacheOptions {
  /** Names the cache in metrics and logs. */
  name: string;
  /** Longest an entry is served without reading it again; 0 turns the cache off. */
  ttlMs: number;
  /** Entries kept at most; the least recently used goes first. */
  maxEntries: number;
  /** Milliseconds since some fixed point; tests pass a fake clock. */
  now?: () => number;
  /** Told the outcome of every read (metrics). */
  onLookup?: (result: 'hit' | 'miss' | 'bypass') => void;
  /**
   * Before serving a hit, let this process handle the I/O already waiting (one event-loop turn),
   * so an invalidation another process published before its change answered is applied first
   * even when this request was read in the same turn. Costs a turn per hit: for caches whose
   * staleness a client can see right after its own change (AI settings, prompt templates).
   */
  settleBeforeHit?: boolean;
}

interface Entry<V> {
  value: V;
  invalidationKey: string;
  expiresAt: number;
}

/**
 * A process-local cache whose entries are dropped by invalidation messages (see InvalidationBus).
 *
 * - Served from memory only while the feed is live: without a subscriber this process would not
 *   hear of changes, so every read loads.
 * - A load that was in flight when any invalidation (or a clear) arrived is returned but not
 *   kept: it may have read the row before the change committed. One generation counter for the
 *   whole cache is enough because invalidations are rare (administrative changes); the price of a
 *   coarse counter is an occasional extra load, never a stale entry.
 * - Entries expire after `ttlMs` (the safety net should an invalidation never be published) and
 *   the map is bounded, evicting in least-recently-used order (Map order, refreshed on a hit).
 */
export class InvalidatedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly feed: InvalidationFeed,
    private readonly options: InvalidatedCacheOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  get name(): string {
    return this.options.name;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, load: () => Promise<Loaded<V>>): Promise<V> {
    if (this.options.ttlMs <= 0) return (await load()).value;
    this.feed.start();
    if (!this.feed.live) {
      this.options.onLookup?.('bypass');
      return (await load()).value;
    }
    if (this.options.settleBeforeHit && this.entries.has(key)) await new Promise<void>((resolve) => setImmediate(resolve));
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (entry.expiresAt > this.now()) {
        this.entries.set(key, entry);
        this.options.onLookup?.('hit');
        return entry.value;
      }
    }
    this.options.onLookup?.('miss');
    const generation = this.generation;
    const loaded = await load();
    if (loaded.cacheUnder !== null && generation === this.generation && this.feed.live) {
      this.entries.delete(key);
      this.entries.set(key, { value: loaded.value, invalidationKey: loaded.cacheUnder, expiresAt: this.now() + this.options.ttlMs });
      if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return loaded.value;
  }

  /** Drops every entry kept under this invalidation key, and keeps no load already in flight. */
  invalidate(invalidationKey: string): void {
    this.generation++;
    // A scan: invalidations are rare and the map is bounded, so no second index is kept in step.
    for (const [key, entry] of this.entries) if (entry.invalidationKey === invalidationKey) this.entries.delete(key);
  }

  /** Drops everything (the feed (re)connected or was lost: messages may have been missed). */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
