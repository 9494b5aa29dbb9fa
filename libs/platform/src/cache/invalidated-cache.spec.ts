import { InvalidatedCache, type Loaded } from './invalidated-cache';

const ACME = 'tenant-acme';
const GLOBEX = 'tenant-globex';

function setup(options: { ttlMs?: number; maxEntries?: number } = {}) {
  const feed = { live: true, starts: 0, start: () => void feed.starts++ };
  let now = 1_000;
  const lookups: string[] = [];
  const cache = new InvalidatedCache<string | null>(feed, {
    name: 'test',
    ttlMs: options.ttlMs ?? 60_000,
    maxEntries: options.maxEntries ?? 100,
    now: () => now,
    onLookup: (result) => lookups.push(result),
  });
  const loads: string[] = [];
  /** A loader that reads `value` (kept under `tenant`, or not kept when tenant is null). */
  const loader = (key: string, value: string | null, tenant: string | null = ACME) => async (): Promise<Loaded<string | null>> => {
    loads.push(key);
    return { value, cacheUnder: tenant };
  };
  return { cache, feed, loads, lookups, loader, advance: (ms: number) => (now += ms) };
}

/** A load that finishes only when told to, to race it against invalidations. */
function deferred<V>() {
  let resolve!: (value: Loaded<V>) => void;
  const promise = new Promise<Loaded<V>>((r) => (resolve = r));
  return { load: () => promise, resolve };
}

describe('InvalidatedCache', () => {
  it('loads once, then serves from memory, starting its feed on first use', async () => {
    const { cache, feed, loads, lookups, loader } = setup();
    expect(await cache.get('a', loader('a', 'agent'))).toBe('agent');
    expect(await cache.get('a', loader('a', 'changed'))).toBe('agent');
    expect(loads).toEqual(['a']);
    expect(lookups).toEqual(['miss', 'hit']);
    expect(feed.starts).toBeGreaterThan(0);
  });

  it('keeps nothing the loader marks as not cacheable (not found, revoked)', async () => {
    const { cache, loads, loader } = setup();
    expect(await cache.get('gone', loader('gone', null, null))).toBeNull();
    expect(await cache.get('gone', loader('gone', 'back'))).toBe('back');
    expect(loads).toEqual(['gone', 'gone']);
    expect(cache.size).toBe(1);
  });

  it('loads on every read while the feed is not live, and keeps none of those loads', async () => {
    const { cache, feed, loads, lookups, loader } = setup();
    await cache.get('a', loader('a', 'agent'));
    feed.live = false;
    expect(await cache.get('a', loader('a', 'viewer'))).toBe('viewer');
    expect(await cache.get('a', loader('a', 'admin'))).toBe('admin');
    feed.live = true;
    // The bus clears on reconnect; what was loaded while it was down was not stored.
    cache.clear();
    expect(await cache.get('a', loader('a', 'owner'))).toBe('owner');
    expect(loads).toEqual(['a', 'a', 'a', 'a']);
    expect(lookups).toEqual(['miss', 'bypass', 'bypass', 'miss']);
  });

  it('drops every entry kept under an invalidation key, and only those', async () => {
    const { cache, loads, loader } = setup();
    await cache.get('acme:1', loader('acme:1', 'agent', ACME));
    await cache.get('acme:2', loader('acme:2', 'viewer', ACME));
    await cache.get('globex:1', loader('globex:1', 'owner', GLOBEX));
    cache.invalidate(ACME);
    expect(await cache.get('acme:1', loader('acme:1', 'viewer', ACME))).toBe('viewer');
    expect(await cache.get('acme:2', loader('acme:2', 'agent', ACME))).toBe('agent');
    expect(await cache.get('globex:1', loader('globex:1', 'changed', GLOBEX))).toBe('owner');
    expect(loads).toEqual(['acme:1', 'acme:2', 'globex:1', 'acme:1', 'acme:2']);
  });

  it('returns but does not keep a load that was in flight when an invalidation arrived', async () => {
    const { cache, loads, loader } = setup();
    const stale = deferred<string | null>();
    const pending = cache.get('acme:1', stale.load);
    cache.invalidate(ACME); // the change committed after the load read the old row
    stale.resolve({ value: 'agent (before the change)', cacheUnder: ACME });
    expect(await pending).toBe('agent (before the change)');
    expect(await cache.get('acme:1', loader('acme:1', 'viewer'))).toBe('viewer');
    expect(await cache.get('acme:1', loader('acme:1', 'never read'))).toBe('viewer');
    expect(loads).toEqual(['acme:1']);
  });

  it('does not keep a load that was in flight across a clear (the feed reconnected)', async () => {
    const { cache, loader, loads } = setup();
    const stale = deferred<string | null>();
    const pending = cache.get('acme:1', stale.load);
    cache.clear();
    stale.resolve({ value: 'old', cacheUnder: ACME });
    await pending;
    expect(await cache.get('acme:1', loader('acme:1', 'new'))).toBe('new');
    expect(loads).toEqual(['acme:1']);
  });

  it('does not keep a load that finished after the feed went down', async () => {
    const { cache, feed, loader, loads } = setup();
    const slow = deferred<string | null>();
    const pending = cache.get('acme:1', slow.load);
    feed.live = false;
    slow.resolve({ value: 'old', cacheUnder: ACME });
    await pending;
    feed.live = true;
    expect(await cache.get('acme:1', loader('acme:1', 'new'))).toBe('new');
    expect(loads).toEqual(['acme:1']);
  });

  it('reads an entry again once its TTL has passed', async () => {
    const { cache, loads, loader, advance } = setup({ ttlMs: 1_000 });
    await cache.get('a', loader('a', 'agent'));
    advance(999);
    expect(await cache.get('a', loader('a', 'viewer'))).toBe('agent');
    advance(1);
    expect(await cache.get('a', loader('a', 'viewer'))).toBe('viewer');
    expect(loads).toEqual(['a', 'a']);
  });

  it('caches nothing with a TTL of 0', async () => {
    const { cache, feed, loads, loader } = setup({ ttlMs: 0 });
    await cache.get('a', loader('a', 'agent'));
    await cache.get('a', loader('a', 'agent'));
    expect(loads).toEqual(['a', 'a']);
    expect(feed.starts).toBe(0);
  });

  it('stays within its size, evicting the least recently used entry', async () => {
    const { cache, loads, loader } = setup({ maxEntries: 2 });
    await cache.get('a', loader('a', 'A'));
    await cache.get('b', loader('b', 'B'));
    await cache.get('a', loader('a', 'A')); // a is now the most recent
    await cache.get('c', loader('c', 'C')); // evicts b
    expect(cache.size).toBe(2);
    await cache.get('a', loader('a', 'A'));
    await cache.get('b', loader('b', 'B'));
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });
});
